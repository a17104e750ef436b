/**
 * Vectors on which rxtrace deliberately differs from the upstream tool that produced them, each
 * with its reason. Keep this list short: a failure not listed here fails the run.
 */
export const KNOWN_DEVIATIONS: Record<string, string> = {};
