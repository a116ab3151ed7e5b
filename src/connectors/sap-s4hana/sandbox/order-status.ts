// Maintenance order life cycle: CRTD → REL → (main work completed) → TECO → CLSD, plus the
// side flags SAP keeps next to it (deletion flag, lock, approval, scheduling, dispatch).
// The API_MAINTENANCEORDER EDMX exposes the state only as MaintOrdProcessPhaseCode,
// MaintOrdProcessSubPhaseCode, SystemStatusText (and MainWorkCompletedDateTime), so those are
// derived from the internal `$st` / `$fl` fields of a record.

export const ST = { CRTD: 0, REL: 1, MWC: 2, TECO: 3, CLSD: 4 } as const;
export type Status = (typeof ST)[keyof typeof ST];

export const FL = {
  DLFL: 1,
  LOCKED: 2,
  IN_APPROVAL: 4,
  APPROVED: 8,
  READY_FOR_SCHEDULING: 16,
  SCHEDULED: 32,
  DISPATCHED: 64,
  DO_NOT_EXECUTE: 128,
} as const;

/**
 * Phase codes numbered in the order of SAP's nine maintenance phases (Initiation, Screening,
 * Planning, Approval, Preparation, Scheduling, Execution, Post Execution, Completion); the
 * sub-phase is the phase code plus a running number. Sandbox choice, see README.
 */
export function phaseOf(st: number, fl: number): { phase: string; subPhase: string } {
  const p = (phase: string, sub: string) => ({ phase, subPhase: phase + sub });
  if (fl & FL.DLFL) return p('09', '04');
  switch (st) {
    case ST.CRTD:
      if (fl & FL.IN_APPROVAL) return p('04', '01');
      if (fl & FL.SCHEDULED) return p('06', '02');
      if (fl & FL.READY_FOR_SCHEDULING) return p('06', '01');
      if (fl & FL.APPROVED) return p('05', '01');
      return p('03', '01');
    case ST.REL:
      return fl & FL.DISPATCHED ? p('07', '02') : p('07', '01');
    case ST.MWC:
      return p('08', '01');
    case ST.TECO:
      return fl & FL.DO_NOT_EXECUTE ? p('09', '03') : p('09', '01');
    default:
      return p('09', '02');
  }
}

const WORD = ['CRTD', 'REL', 'REL', 'TECO', 'CLSD'];

/** System status line as the order shows it, e.g. "REL  PRC  SETC" style tokens. */
export function systemStatusText(st: number, fl: number): string {
  const words = [WORD[st] ?? 'CRTD'];
  if (fl & FL.LOCKED) words.push('LKD');
  if (fl & FL.DLFL) words.push('DLFL');
  if (st === ST.CRTD) words.push('MANC');
  if (fl & FL.DISPATCHED) words.push('DSPT');
  words.push('PRC');
  if (st >= ST.TECO) words.push('SETC');
  return words.join(' ').slice(0, 40);
}

export interface StatusParts {
  phase: string;
  subPhase: string;
  text: string;
}

const partsCache: (StatusParts | undefined)[] = [];
/** Phase, sub-phase and system status text of a state (shared objects: do not change them). */
export function statusParts(st: number, fl: number): StatusParts {
  const cacheable = Number.isInteger(st) && st >= 0 && st < 8 && Number.isInteger(fl) && fl >= 0 && fl < 256;
  const key = st * 256 + fl;
  let parts = cacheable ? partsCache[key] : undefined;
  if (!parts) {
    parts = { ...phaseOf(st, fl), text: systemStatusText(st, fl) };
    if (cacheable) partsCache[key] = parts;
  }
  return parts;
}

/** The public fields that mirror the internal state. */
export function statusFields(st: number, fl: number): Record<string, string | number> {
  const { phase, subPhase, text } = statusParts(st, fl);
  return {
    $st: st,
    $fl: fl,
    MaintOrdProcessPhaseCode: phase,
    MaintOrdProcessSubPhaseCode: subPhase,
    SystemStatusText: text,
  };
}

export interface Transition {
  /** Allowed when this returns undefined; otherwise the refusal text. */
  check(st: number, fl: number): string | undefined;
  apply(st: number, fl: number): { st: number; fl: number };
}

const only = (cond: boolean, msg: string) => (cond ? undefined : msg);
const mutable = (fl: number) =>
  fl & FL.DLFL ? 'Order is flagged for deletion' : fl & FL.LOCKED ? 'Order is locked' : undefined;

/** Status-changing function imports of API_MAINTENANCEORDER and their life-cycle rules. */
export const TRANSITIONS: Record<string, Transition> = {
  ReleaseMaintenanceOrder: {
    check: (st, fl) =>
      mutable(fl) ??
      only(st === ST.CRTD, 'Order is already released or completed') ??
      only(!(fl & FL.IN_APPROVAL), 'Order is awaiting approval and cannot be released'),
    apply: (_, fl) => ({ st: ST.REL, fl: fl & ~(FL.READY_FOR_SCHEDULING | FL.SCHEDULED) }),
  },
  SetMaintOrdToMainWorkComplete: {
    check: (st, fl) =>
      mutable(fl) ?? only(st === ST.REL, 'Main work can only be completed for a released order'),
    apply: (_, fl) => ({ st: ST.MWC, fl }),
  },
  ResetMaintOrdStsMainWorkCmplt: {
    check: (st, fl) => mutable(fl) ?? only(st === ST.MWC, 'Main work of the order is not completed'),
    apply: (_, fl) => ({ st: ST.REL, fl }),
  },
  SetMaintOrdToTechCompleted: {
    check: (st, fl) =>
      mutable(fl) ??
      only(st === ST.REL || st === ST.MWC, 'Only released orders can be technically completed'),
    apply: (_, fl) => ({ st: ST.TECO, fl: fl & ~FL.DISPATCHED }),
  },
  ResetMaintOrdStsTechCompleted: {
    check: (st, fl) => mutable(fl) ?? only(st === ST.TECO, 'Order is not technically completed'),
    apply: (_, fl) => ({ st: ST.REL, fl: fl & ~FL.DO_NOT_EXECUTE }),
  },
  SetMaintOrderStatusToClosed: {
    check: (st, fl) => mutable(fl) ?? only(st === ST.TECO, 'Only technically completed orders can be closed'),
    apply: (_, fl) => ({ st: ST.CLSD, fl }),
  },
  ResetMaintOrderStatusClosed: {
    check: (st, fl) => mutable(fl) ?? only(st === ST.CLSD, 'Order is not closed'),
    apply: (_, fl) => ({ st: ST.TECO, fl }),
  },
  SetMaintOrdStsToMrkdForDeltn: {
    check: (st, fl) =>
      only(!(fl & FL.DLFL), 'Order is already flagged for deletion') ??
      only(!(fl & FL.LOCKED), 'Order is locked') ??
      only(
        st === ST.CRTD || st === ST.TECO || st === ST.CLSD,
        'Released orders must be completed before deletion',
      ),
    apply: (st, fl) => ({ st, fl: fl | FL.DLFL }),
  },
  ResetMaintOrdStsMrkdForDeltn: {
    check: (_, fl) => only(!!(fl & FL.DLFL), 'Order is not flagged for deletion'),
    apply: (st, fl) => ({ st, fl: fl & ~FL.DLFL }),
  },
  SetMaintOrderStatusToLocked: {
    check: (st, fl) =>
      only(!(fl & FL.LOCKED), 'Order is already locked') ??
      only(!(fl & FL.DLFL) && st !== ST.CLSD, 'Closed or deleted orders cannot be locked'),
    apply: (st, fl) => ({ st, fl: fl | FL.LOCKED }),
  },
  SetMaintOrderStatusToUnlocked: {
    check: (_, fl) => only(!!(fl & FL.LOCKED), 'Order is not locked'),
    apply: (st, fl) => ({ st, fl: fl & ~FL.LOCKED }),
  },
  SubmitMaintOrderForApproval: {
    check: (st, fl) =>
      mutable(fl) ??
      only(st === ST.CRTD, 'Only orders in planning can be submitted') ??
      only(!(fl & (FL.IN_APPROVAL | FL.APPROVED)), 'Order was already submitted for approval'),
    apply: (st, fl) => ({ st, fl: fl | FL.IN_APPROVAL }),
  },
  ApproveMaintenanceOrder: {
    check: (_, fl) => mutable(fl) ?? only(!!(fl & FL.IN_APPROVAL), 'Order is not awaiting approval'),
    apply: (st, fl) => ({ st, fl: (fl & ~FL.IN_APPROVAL) | FL.APPROVED }),
  },
  RejectMaintenanceOrder: {
    check: (_, fl) => mutable(fl) ?? only(!!(fl & FL.IN_APPROVAL), 'Order is not awaiting approval'),
    apply: (st, fl) => ({ st, fl: fl & ~FL.IN_APPROVAL }),
  },
  SetMaintOrderToReadyForSchedg: {
    check: (st, fl) =>
      mutable(fl) ??
      only(st === ST.CRTD, 'Only orders in planning can be made ready for scheduling') ??
      only(
        !(fl & (FL.READY_FOR_SCHEDULING | FL.IN_APPROVAL)),
        'Order cannot be made ready for scheduling now',
      ),
    apply: (st, fl) => ({ st, fl: fl | FL.READY_FOR_SCHEDULING }),
  },
  ResetMaintOrderStsRdyForSchedg: {
    check: (st, fl) =>
      mutable(fl) ??
      only(st === ST.CRTD && !!(fl & FL.READY_FOR_SCHEDULING), 'Order is not ready for scheduling'),
    apply: (st, fl) => ({ st, fl: fl & ~(FL.READY_FOR_SCHEDULING | FL.SCHEDULED) }),
  },
  ScheduleMaintenanceOrder: {
    check: (st, fl) =>
      mutable(fl) ??
      only(st === ST.CRTD && !!(fl & FL.READY_FOR_SCHEDULING), 'Order is not ready for scheduling'),
    apply: (st, fl) => ({ st, fl: fl | FL.SCHEDULED }),
  },
  SetMaintOrderOpsToDispatched: {
    check: (st, fl) =>
      mutable(fl) ?? only(st === ST.REL, 'Only operations of released orders can be dispatched'),
    apply: (st, fl) => ({ st, fl: fl | FL.DISPATCHED }),
  },
  ResetMaintOrdOpsStsDispatched: {
    check: (_, fl) => mutable(fl) ?? only(!!(fl & FL.DISPATCHED), 'Operations are not dispatched'),
    apply: (st, fl) => ({ st, fl: fl & ~FL.DISPATCHED }),
  },
  SetMaintOrderToDoNotExecute: {
    check: (st, fl) => mutable(fl) ?? only(st === ST.CRTD || st === ST.REL, 'Order is already completed'),
    apply: (_, fl) => ({ st: ST.TECO, fl: fl | FL.DO_NOT_EXECUTE }),
  },
  ResetStatusFromDoNotExecute: {
    check: (st, fl) =>
      mutable(fl) ??
      only(st === ST.TECO && !!(fl & FL.DO_NOT_EXECUTE), 'Order is not set to "do not execute"'),
    apply: (_, fl) => ({ st: ST.CRTD, fl: fl & ~FL.DO_NOT_EXECUTE }),
  },
};

/** Why an order in this state refuses a PATCH, or undefined when it may be changed. */
export function changeBlocker(st: number, fl: number): string | undefined {
  return (
    mutable(fl) ??
    (st === ST.CLSD ? 'Order is closed' : st === ST.TECO ? 'Order is technically completed' : undefined)
  );
}
