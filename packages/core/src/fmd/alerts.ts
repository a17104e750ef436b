/**
 * EU FMD alert codes, modelled on those of the national verification systems: each answer that is
 * not a plain "active, may be supplied" carries one or more of these. `alert: true` marks the ones
 * a national system escalates as a potential falsification (an alert raised to the marketing
 * authorisation holder and the competent authority); the others are statuses the user must act
 * on (e.g. do not supply an expired or recalled pack) or refusals of an operation.
 */

export type FmdAlertCode =
  | 'FMD-A1'
  | 'FMD-A2'
  | 'FMD-A3'
  | 'FMD-A4'
  | 'FMD-A5'
  | 'FMD-S1'
  | 'FMD-S2'
  | 'FMD-S3'
  | 'FMD-S4'
  | 'FMD-S5'
  | 'FMD-S6'
  | 'FMD-U1'
  | 'FMD-U2'
  | 'FMD-U3'
  | 'FMD-U4'
  | 'FMD-U5'
  | 'FMD-U6'
  | 'FMD-U7'
  | 'FMD-E1'
  | 'FMD-E2';

export interface FmdAlertDefinition {
  code: FmdAlertCode;
  /** Stable name. */
  name: string;
  /** A potential falsification: a national system raises an alert. */
  alert: boolean;
  /** What the user reads. */
  message: string;
}

const DEFS: FmdAlertDefinition[] = [
  // Identity: potential falsifications
  {
    code: 'FMD-A1',
    name: 'unknown_product_code',
    alert: true,
    message: 'The product code (GTIN) is not known to the repository. Do not supply the pack; keep it apart.',
  },
  {
    code: 'FMD-A2',
    name: 'unknown_serial',
    alert: true,
    message:
      'No pack with this serial number was uploaded for this product. Do not supply the pack; keep it apart.',
  },
  {
    code: 'FMD-A3',
    name: 'batch_mismatch',
    alert: true,
    message: 'The batch number on the pack differs from the batch uploaded for this serial number.',
  },
  {
    code: 'FMD-A4',
    name: 'expiry_mismatch',
    alert: true,
    message: 'The expiry date on the pack differs from the expiry date uploaded for this serial number.',
  },
  {
    code: 'FMD-A5',
    name: 'already_inactive',
    alert: true,
    message: 'The pack is already inactive (decommissioned); it may not be supplied again.',
  },
  // Status: the pack is genuine but may not be supplied
  { code: 'FMD-S1', name: 'expired', alert: false, message: 'The pack is past its expiry date.' },
  { code: 'FMD-S2', name: 'recalled', alert: false, message: 'The batch or product is recalled.' },
  {
    code: 'FMD-S3',
    name: 'withdrawn',
    alert: false,
    message: 'The batch or product is withdrawn from the market.',
  },
  {
    code: 'FMD-S4',
    name: 'locked',
    alert: false,
    message: 'The pack is locked (e.g. pending an investigation).',
  },
  {
    code: 'FMD-S5',
    name: 'blocked',
    alert: false,
    message: 'The pack is blocked: quarantined, non-saleable or under investigation.',
  },
  {
    code: 'FMD-S6',
    name: 'not_active',
    alert: false,
    message: 'The pack is not in an active state that allows this operation.',
  },
  // Undo (reactivation) refusals
  {
    code: 'FMD-U1',
    name: 'undo_not_decommissioned',
    alert: false,
    message: 'The pack is active: there is nothing to undo.',
  },
  {
    code: 'FMD-U2',
    name: 'undo_too_late',
    alert: false,
    message: 'A decommission can be undone within 10 days only.',
  },
  {
    code: 'FMD-U3',
    name: 'undo_other_user',
    alert: false,
    message: 'Only the user who decommissioned the pack may undo it.',
  },
  {
    code: 'FMD-U4',
    name: 'undo_other_premises',
    alert: false,
    message: 'A decommission can be undone only at the premises where it was done.',
  },
  {
    code: 'FMD-U5',
    name: 'undo_not_allowed_for_reason',
    alert: false,
    message: 'A pack decommissioned as stolen or destroyed can never be reactivated.',
  },
  { code: 'FMD-U6', name: 'undo_expired', alert: false, message: 'An expired pack can not be reactivated.' },
  {
    code: 'FMD-U7',
    name: 'undo_recalled',
    alert: false,
    message: 'A pack of a recalled or withdrawn batch or product can not be reactivated.',
  },
  // Input
  {
    code: 'FMD-E1',
    name: 'invalid_input',
    alert: false,
    message: 'The scan or request does not carry a valid product code, serial number, batch and expiry.',
  },
  {
    code: 'FMD-E2',
    name: 'not_a_pack',
    alert: false,
    message: 'The identifier is not a serialised pack (an SGTIN): verify the packs inside.',
  },
];

export const FMD_ALERTS: Readonly<Record<FmdAlertCode, FmdAlertDefinition>> = Object.fromEntries(
  DEFS.map((d) => [d.code, d]),
) as Record<FmdAlertCode, FmdAlertDefinition>;

export const FMD_ALERT_LIST: readonly FmdAlertDefinition[] = DEFS;

/** One alert in an answer: the code's definition plus this case's detail. */
export interface FmdAlert {
  code: FmdAlertCode;
  name: string;
  alert: boolean;
  message: string;
  /** This case: e.g. `uploaded batch L1, scanned L2`. */
  detail?: string;
}

export function fmdAlert(code: FmdAlertCode, detail?: string): FmdAlert {
  const d = FMD_ALERTS[code];
  return { code, name: d.name, alert: d.alert, message: d.message, ...(detail ? { detail } : {}) };
}
