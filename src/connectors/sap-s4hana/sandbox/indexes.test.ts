// The sorted LastChangeDateTime index stays sorted through moves, inserts and removals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Nested, TimeIndex } from './indexes.ts';

test('TimeIndex keeps (timestamp, index) order and answers range bounds', () => {
  let ts = new Float64Array([50, 10, 30, 10, 40]);
  const ix = new TimeIndex(() => ts, 5);
  const order = () => Array.from({ length: ix.size }, (_, k) => ix.at(k));
  assert.deepEqual(order(), [1, 3, 2, 4, 0]);
  assert.equal(ix.lowerBound(30, true), 2);
  assert.equal(ix.lowerBound(30, false), 3);
  ix.remove(2, ts[2]);
  ts[2] = 60;
  ix.insert(2);
  assert.deepEqual(order(), [1, 3, 4, 0, 2]);
  const grown = new Float64Array(8);
  grown.set(ts);
  grown[5] = 5;
  ts = grown;
  ix.insert(5);
  assert.deepEqual(order(), [5, 1, 3, 4, 0, 2]);
  ix.remove(3, 10);
  assert.deepEqual(order(), [5, 1, 4, 0, 2]);
});

test('Nested maps flat child indices to parents', () => {
  const n = new Nested(4, (p) => [2, 0, 3, 1][p]);
  assert.equal(n.total, 6);
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5].map((j) => n.parentOf(j)),
    [0, 0, 2, 2, 2, 3],
  );
  assert.equal(n.count(1), 0);
});
