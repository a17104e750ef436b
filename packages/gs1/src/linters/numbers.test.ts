import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latitude, longitude, nonzero, nozeroprefix, pieceoftotal, posinseqslash, zero } from './numbers.ts';
import { LINT_OK, markHighlight } from './types.ts';

test('zero, nonzero and nozeroprefix', () => {
  assert.deepEqual(zero('0'), LINT_OK);
  assert.equal(zero('5').code, 'GS1_LINTER_NOT_ZERO');
  assert.deepEqual(nonzero('0250'), LINT_OK);
  assert.equal(markHighlight('0000', nonzero('0000')), '*0000*');
  assert.equal(markHighlight('02x0', nonzero('02x0')), '02*x*0');
  assert.deepEqual(nozeroprefix('7'), LINT_OK);
  assert.equal(markHighlight('0712', nozeroprefix('0712')), '*0*712');
});

test('pieceoftotal: piece and total, equal length, 1 <= piece <= total', () => {
  assert.deepEqual(pieceoftotal('0203'), LINT_OK);
  assert.deepEqual(pieceoftotal('33'), LINT_OK);
  assert.equal(markHighlight('0003', pieceoftotal('0003')), '*00*03');
  assert.equal(markHighlight('0200', pieceoftotal('0200')), '02*00*');
  assert.equal(markHighlight('0302', pieceoftotal('0302')), '*0302*');
  assert.equal(pieceoftotal('023').code, 'GS1_LINTER_INVALID_LENGTH_FOR_PIECE_OF_TOTAL');
});

test('posinseqslash: <pos>/<end>', () => {
  assert.deepEqual(posinseqslash('2/3'), LINT_OK);
  assert.deepEqual(posinseqslash('12/12'), LINT_OK);
  assert.equal(posinseqslash('2-3').code, 'GS1_LINTER_POSITION_IN_SEQUENCE_MALFORMED');
  assert.equal(posinseqslash('2/').code, 'GS1_LINTER_POSITION_IN_SEQUENCE_MALFORMED');
  assert.equal(markHighlight('02/3', posinseqslash('02/3')), '*02*/3');
  assert.equal(markHighlight('4/3', posinseqslash('4/3')), '*4/3*');
  assert.deepEqual(posinseqslash('9/10'), LINT_OK);
});

test('latitude and longitude as offset ten-digit values', () => {
  assert.deepEqual(latitude('1425000000'), LINT_OK);
  assert.equal(latitude('1900000000').code, 'GS1_LINTER_INVALID_LATITUDE');
  assert.equal(latitude('142500000').code, 'GS1_LINTER_LATITUDE_INVALID_LENGTH');
  assert.deepEqual(longitude('1887000000'), LINT_OK);
  assert.equal(longitude('3600000001').code, 'GS1_LINTER_INVALID_LONGITUDE');
  assert.equal(markHighlight('18870000O0', longitude('18870000O0')), '18870000*O*0');
});
