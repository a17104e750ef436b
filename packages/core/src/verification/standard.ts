/**
 * The GS1 Lightweight Messaging Standard for Verification of Product Identifiers (1.0.2): the
 * request parameters, the response fields and the code lists, as the standard spells them.
 */
import { hasValidCheckDigit, interpretDate, isCset82 } from '@rxtrace/gs1';

/** linkType of a verification request (the short and the full forms are accepted). */
export const VERIFICATION_LINK_TYPES = [
  'verificationService',
  'gs1:verificationService',
  'https://gs1.org/voc/verificationService',
] as const;

/** linkType of a connectivity check (besides the `checkConnectivity` query parameter). */
export const CONNECTIVITY_LINK_TYPES = ['checkConnectivity', 'gs1:checkConnectivity'] as const;

/** Request contexts: the DSCSA situations in which a product identifier is verified. */
export const VERIFICATION_CONTEXTS = [
  'dscsaSaleableReturn',
  'dscsaSuspect',
  'dscsaSuspectInvestigation',
  'dscsaIllegitimate',
  'dscsaExceptionVerification',
  'dscsaRecall',
] as const;

/** `data.verificationFailureReason` values. */
export const VERIFICATION_FAILURE_REASONS = [
  'No_match_GTIN_Serial',
  'No_match_GTIN_Serial_Lot',
  'No_match_GTIN_Serial_Expiry',
  'No_match_GTIN_Serial_Lot_Expiry',
  'No_reason_provided',
] as const;
export type VerificationFailureReason = (typeof VERIFICATION_FAILURE_REASONS)[number];

/** `data.additionalInfo` values. */
export const ADDITIONAL_INFO = ['Recalled', 'Expired', 'Suspect', 'Illegitimate'] as const;
export type AdditionalInfo = (typeof ADDITIONAL_INFO)[number];

/** The response's top-level fields and those of `data` (the test requester checks against them). */
export const RESPONSE_FIELDS = ['verificationTimestamp', 'responderGLN', 'corrUUID', 'data'] as const;
export const RESPONSE_DATA_FIELDS = ['verified', 'verificationFailureReason', 'additionalInfo'] as const;

export interface VerificationData {
  verified: boolean;
  verificationFailureReason?: VerificationFailureReason;
  additionalInfo?: AdditionalInfo;
}

/** A verification response (JSON body of a 200). */
export interface VerificationResponse {
  verificationTimestamp: string;
  responderGLN: string;
  corrUUID?: string;
  data: VerificationData;
}

/** One verification request, as the Digital Link URI and its query carry it. */
export interface VerificationRequest {
  gtin: string;
  serial: string;
  lot: string;
  /** YYMMDD. */
  exp?: string | undefined;
  context?: string | undefined;
  reqGLN?: string | undefined;
  corrUUID?: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID.test(s);
}

/** True for a 13-digit GLN with a valid check digit. */
export function isGln(s: string): boolean {
  return /^\d{13}$/.test(s) && hasValidCheckDigit(s);
}

/** True for a 14-digit GTIN with a valid check digit. */
export function isGtin14(s: string): boolean {
  return /^\d{14}$/.test(s) && hasValidCheckDigit(s);
}

/** YYMMDD → YYYY-MM-DD (DD 00: the month's last day); undefined when it is no date. */
export function expToIso(exp: string, now = new Date()): string | undefined {
  if (!/^\d{6}$/.test(exp)) return undefined;
  return interpretDate(exp, now.getUTCFullYear())?.date;
}

/** YYYY-MM-DD (or YYMMDD) → YYMMDD. */
export function isoToExp(d: string): string {
  const m = /^\d{2}(\d{2})-(\d{2})-(\d{2})$/.exec(d);
  return m ? `${m[1]}${m[2]}${m[3]}` : d;
}

/** A lot or serial: GS1 AI 82 characters, 1 to 20. */
export function isAi82(s: string): boolean {
  return s.length >= 1 && s.length <= 20 && isCset82(s);
}
