// ref() hashes (connection, entity, remote id) with sha256 for every record, yet the same vendors,
// plants and materials recur across thousands of records. Each ref() call site memoises its ids for
// the connection it last ran for, keyed by the remote id alone (no key concatenation on the hot path).
// Two generations give LRU-like behaviour without per-hit bookkeeping: when the young map is full it
// becomes the old one and the previous old generation is dropped; old hits are promoted.
import { recordId } from '../core/ids.ts';

export const GENERATION_SIZE = 4096;

export class RefMemo {
  private connectionId = '';
  private entity = '';
  private young = new Map<string, string>();
  private old = new Map<string, string>();
  private readonly generationSize: number;

  constructor(generationSize = GENERATION_SIZE) {
    this.generationSize = generationSize;
  }

  id(connectionId: string, entity: string, remoteId: string): string {
    if (connectionId !== this.connectionId || entity !== this.entity) {
      this.connectionId = connectionId;
      this.entity = entity;
      this.clear();
    }
    let id = this.young.get(remoteId);
    if (id !== undefined) return id;
    id = this.old.get(remoteId) ?? recordId(connectionId, entity, remoteId);
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(remoteId, id);
    return id;
  }

  /** Memoised ids held; never more than twice the generation size. */
  get size(): number {
    return this.young.size + this.old.size;
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }
}
