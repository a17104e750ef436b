/** Runtime access to the Application Identifier table. */
import { AI_DEFINITIONS, DICTIONARY_RELEASE } from './ai-table.generated.ts';
import type { AiDefinition } from './dictionary.ts';

export { AI_DEFINITIONS, DICTIONARY_RELEASE };

const BY_AI = new Map<string, AiDefinition>(AI_DEFINITIONS.map((d) => [d.ai, d]));

/** The definition of an AI, or undefined when the dictionary does not know it. */
export function lookupAi(ai: string): AiDefinition | undefined {
  return BY_AI.get(ai);
}

/**
 * Length of an AI from its first two digits (GS1 General Specifications figure 3.2-1). This lets
 * a reader step over an AI it does not know.
 */
export function aiLengthFromPrefix(prefix: string): number | undefined {
  const p = Number(prefix.slice(0, 2));
  if (!/^\d\d/.test(prefix)) return undefined;
  if (p <= 22) return 2;
  if (p <= 25) return 3;
  if (p === 30) return 2;
  if (p >= 31 && p <= 36) return 4;
  if (p === 37) return 2;
  if (p === 39) return 4;
  if (p >= 40 && p <= 42) return 3;
  if (p === 43) return 4;
  if (p === 70) return 4;
  if (p === 71) return 3;
  if (p === 72) return 4;
  if (p >= 80 && p <= 82) return 4;
  if (p >= 90) return 2;
  return undefined;
}

/** The known AI that starts `data` at `pos`, if any. The AI set is prefix-free, so at most one matches. */
export function knownAiAt(data: string, pos: number): AiDefinition | undefined {
  for (let len = 2; len <= 4; len++) {
    const d = BY_AI.get(data.slice(pos, pos + len));
    if (d) return d;
  }
  return undefined;
}

export function minValueLength(d: AiDefinition): number {
  let n = 0;
  for (const c of d.components) if (!c.optional) n += c.min;
  return n;
}

export function maxValueLength(d: AiDefinition): number {
  let n = 0;
  for (const c of d.components) n += c.max;
  return n;
}

/** Whether an AI matches a dictionary pattern, in which `n` stands for any digit (`310n`, `31nn`). */
export function aiMatchesPattern(ai: string, pattern: string): boolean {
  if (ai.length !== pattern.length) return false;
  for (let i = 0; i < ai.length; i++) {
    const p = pattern[i];
    if (p !== 'n' && p !== ai[i]) return false;
    if (p === 'n' && (ai.charCodeAt(i) < 48 || ai.charCodeAt(i) > 57)) return false;
  }
  return true;
}

/** Short lower-case name of the common pharma AIs, used for typed fields and the CLI. */
export function aiTitle(ai: string): string {
  return BY_AI.get(ai)?.title ?? `AI (${ai})`;
}
