/** Vectors of kind `linter`: one reference linter applied to one component value. */
import { markHighlight, runLinter } from '../../../packages/gs1/src/linters/index.ts';
import { expectEqual, type Handler, pass } from '../types.ts';

export const linterHandlers: Record<string, Handler> = {
  linter: (v) => {
    if (typeof v.linter !== 'string' || typeof v.input !== 'string')
      return { pass: false, detail: 'malformed vector: needs a linter name and a string input' };
    const r = runLinter(v.linter, v.input);
    if (typeof v.expect_error === 'string') {
      const code = expectEqual(r.code, v.expect_error, 'code');
      if (!code.pass) return code;
      return v.expected_highlight === undefined
        ? pass
        : expectEqual(markHighlight(v.input, r), v.expected_highlight, 'highlight');
    }
    return expectEqual(r.code, v.expected ?? 'GS1_LINTER_OK', 'code');
  },
};
