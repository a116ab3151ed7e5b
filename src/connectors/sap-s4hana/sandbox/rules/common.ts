// What a business rule sees of a write, and helpers shared by the rule sets.
import { SapError } from '../errors.ts';
import type { Rec, SetStore } from '../store.ts';
import { parentLinkOf, type World } from '../world.ts';

export interface WriteCtx {
  world: World;
  /** Logon user, stamped into CreatedByUser / LastChangedByUser. */
  user: string;
  /** Change stamp of this write (epoch ms, strictly increasing). */
  stamp: number;
}

export interface SetRules {
  /** Checks a new record and fills what SAP derives (numbers, org data, status). */
  create?(c: WriteCtx, rec: Rec, children: Map<string, Rec[]>): void;
  /** Checks a change before it is applied; may add derived fields to `patch`. */
  update?(c: WriteCtx, i: number, current: Rec, patch: Rec): void;
  /** Checks a delete; a returned patch turns it into setting a deletion indicator. */
  remove?(c: WriteCtx, i: number, current: Rec): Rec | undefined;
}

/** A refusal by a business rule: 400 with the message-class code SAP would use. */
export function refuse(code: string, message: string, propertyref = ''): SapError {
  return new SapError(400, code, message, { details: [{ code, message, propertyref, target: propertyref }] });
}

export function required(rec: Rec, fields: string[], code: string): void {
  for (const f of fields) {
    if (rec[f] === undefined || rec[f] === null || rec[f] === '')
      throw refuse(code, `Enter a value for field ${f}`, f);
  }
}

export function parentOf(
  world: World,
  set: string,
  rec: Rec,
): { store: SetStore; index: number; rec: Rec } | undefined {
  const link = parentLinkOf(world, set);
  if (!link) return undefined;
  const store = world.stores.get(link.parent)!;
  const key: Rec = {};
  for (const k of link.keys) key[k] = rec[k];
  const index = store.find(key);
  const parent = index >= 0 ? store.get(index) : undefined;
  return parent ? { store, index, rec: parent } : undefined;
}

export function exists(world: World, set: string, key: Rec): Rec | undefined {
  const s = world.stores.get(set)!;
  const i = s.find(key);
  return i >= 0 ? s.get(i) : undefined;
}

export const today = (ms: number) => ms - (ms % 86_400_000);
export const pad = (n: number, w: number) => String(n).padStart(w, '0');
