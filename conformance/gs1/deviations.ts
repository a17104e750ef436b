/**
 * Vectors on which rxtrace deliberately differs from the upstream tool that produced them, each
 * with its reason. Keep this list short: a failure not listed here fails the run.
 */
export const KNOWN_DEVIATIONS: Record<string, string> = {
  'epc-00022':
    'urn:epc:id:bic:CSIJ3054381 is refused upstream (epcpy) for its owner code "CSI". The Tag Data Standard grammar for BIC (and ISO 6346) allows any three capital letters as owner code, and the vectors (epc-00419) accept container codes without checking the ISO 6346 check digit, so nothing in the standard makes this one invalid: rxtrace accepts it.',
};

/**
 * Places where rxtrace follows the vectors although a reading of the standard could differ
 * (project rule: where the standard and the vectors disagree, follow the vectors and say why).
 */
export const FOLLOWED_VECTOR_CHOICES: Record<string, string> = {
  'epc-00330':
    'An SGLN with extension 0 (urn:epc:id:sgln:0614141.12345.0) gives (414)0614141123452(254)0. A bare (414) is written with extension 0 in the other direction, so that pair does not round-trip exactly.',
  'epc-00419':
    'BIC (ISO 6346) and IMO vessel numbers (epc-00232) are checked for syntax only; their check digits are not verified, as the vectors expect. iso6346CheckDigit() and imoCheckDigit() are exported for callers that want the check.',
  'epc-00463':
    'An SGCN pattern with a wildcard serial (urn:epc:idpat:sgcn:401234512345..*) names no single key and is refused, although the same shape is accepted for GDTI and GRAI.',
};
