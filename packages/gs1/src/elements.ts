/** The one internal model of GS1 data: an ordered list of AI/value pairs, all strings. */
export interface AiElement {
  /** The Application Identifier, 2 to 4 digits (`01`, `21`, `3103`, `8003`). */
  ai: string;
  /** The value exactly as encoded (never a number: leading zeros and 20-digit serials matter). */
  value: string;
}
