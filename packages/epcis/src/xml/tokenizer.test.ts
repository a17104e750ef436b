import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  XML_CODES,
  XmlByteDecoder,
  type XmlElement,
  XmlError,
  type XmlLimits,
  XmlTokenizer,
} from './tokenizer.ts';

interface Ev {
  t: 'open' | 'text' | 'close';
  v: string;
}

function tokenize(
  chunks: string | string[],
  opts: { limits?: Partial<XmlLimits>; allowInertDoctype?: boolean } = {},
) {
  const evs: Ev[] = [];
  const els: XmlElement[] = [];
  let tok!: XmlTokenizer;
  tok = new XmlTokenizer(
    {
      open(el) {
        els.push(el);
        const attrs = el.attrs.map((a) => ` {${a.ns}}${a.local}=${a.value}`).join('');
        evs.push({ t: 'open', v: `{${el.ns}}${el.local}${attrs}` });
      },
      text(s) {
        const last = evs[evs.length - 1];
        if (last?.t === 'text') last.v += s;
        else evs.push({ t: 'text', v: s });
      },
      close(el) {
        evs.push({ t: 'close', v: el.qname });
      },
    },
    opts,
  );
  for (const c of Array.isArray(chunks) ? chunks : [chunks]) tok.write(c);
  tok.end();
  return { evs: evs.filter((e) => e.t !== 'text' || e.v.trim() !== ''), els };
}

function rejects(xml: string | string[], code: string, opts: Parameters<typeof tokenize>[1] = {}): XmlError {
  try {
    tokenize(xml, opts);
  } catch (e) {
    assert.ok(e instanceof XmlError, `expected XmlError, got ${e}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

test('elements, attributes, namespaces, entities, CDATA, comments and PIs', () => {
  const { evs, els } = tokenize(
    `<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><a:root xmlns:a="urn:a" xmlns="urn:d" x="1 &amp; 2" a:y='&#x41;&#66;'>` +
      `<child>t&lt;&gt;&quot;&apos;<![CDATA[<raw>&]]></child><?pi data?><e/></a:root>`,
  );
  assert.deepEqual(evs, [
    { t: 'open', v: '{urn:a}root {}x=1 & 2 {urn:a}y=AB' },
    { t: 'open', v: '{urn:d}child' },
    { t: 'text', v: `t<>"'<raw>&` },
    { t: 'close', v: 'child' },
    { t: 'open', v: '{urn:d}e' },
    { t: 'close', v: 'e' },
    { t: 'close', v: 'a:root' },
  ]);
  assert.deepEqual(els[0]!.nsDecls, [
    ['a', 'urn:a'],
    ['', 'urn:d'],
  ]);
});

test('positions: line and column of the start tag, line of its end', () => {
  const { els } = tokenize('<r>\n  <a\n   x="1">\n</a><b/></r>');
  assert.deepEqual(
    els.map((e) => [e.qname, e.line, e.column, e.endLine]),
    [
      ['r', 1, 1, 1],
      ['a', 2, 3, 3],
      ['b', 4, 5, 4],
    ],
  );
});

test('chunk boundaries anywhere give the same events', () => {
  const xml =
    `<?xml version="1.0"?><r xmlns:p="urn:p"><p:a k="v&amp;w">x &#x20AC; y</p:a><!-- a -- b? no --><b><![CDATA[z]]></b></r>`.replace(
      '<!-- a -- b? no -->',
      '<!-- comment -->',
    );
  const whole = tokenize(xml).evs;
  for (let size = 1; size <= 7; size++) {
    const parts: string[] = [];
    for (let i = 0; i < xml.length; i += size) parts.push(xml.slice(i, i + size));
    assert.deepEqual(tokenize(parts).evs, whole, `chunks of ${size}`);
  }
});

test('line ends and attribute white space are normalised', () => {
  const { evs } = tokenize('<r a="x\ty\r\nz">1\r\n2\r3</r>');
  assert.deepEqual(evs, [
    { t: 'open', v: '{}r {}a=x y z' },
    { t: 'text', v: '1\n2\n3' },
    { t: 'close', v: 'r' },
  ]);
});

test('not well-formed input is rejected with line and column', () => {
  const e = rejects('<r>\n<a></b></r>', XML_CODES.syntax);
  assert.equal(e.line, 2);
  rejects('<r><a></r>', XML_CODES.syntax);
  rejects('<r a="1" a="2"/>', XML_CODES.syntax);
  rejects('<r a=1/>', XML_CODES.syntax);
  rejects('<r>&amp</r>', XML_CODES.syntax);
  rejects('<r>a < b</r>', XML_CODES.syntax);
  rejects('<r/><s/>', XML_CODES.syntax);
  rejects('<r/>text', XML_CODES.syntax);
  rejects('<r>\u0001</r>', XML_CODES.syntax);
  rejects('<r>&#0;</r>', XML_CODES.syntax);
  rejects('<r><!-- a -- b --></r>', XML_CODES.syntax);
  rejects('<r/><?xml version="1.0"?>', XML_CODES.syntax);
  rejects('<r>', XML_CODES.truncated);
  rejects('', XML_CODES.truncated);
  rejects('<p:r/>', XML_CODES.namespace);
  rejects('<r xmlns:p="urn:p" p:a="1" xmlns:q="urn:p" q:a="2"/>', XML_CODES.namespace);
});

test('no DTD: billion laughs is rejected at the DOCTYPE, at once', () => {
  const lol =
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' +
    Array.from(
      { length: 9 },
      (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
    ).join('\n') +
    '\n]>\n<lolz>&lol9;</lolz>';
  const t0 = performance.now();
  const e = rejects(lol, XML_CODES.doctype);
  assert.ok(performance.now() - t0 < 50);
  assert.match(e.message, /DOCTYPE declarations are not accepted/);
  assert.equal(e.line, 2);
  // The opt-in for the inert form does not let an internal subset through.
  rejects(lol, XML_CODES.doctype, { allowInertDoctype: true });
});

test('no external entities: SYSTEM identifiers and undeclared entity references are rejected', () => {
  const xxe =
    '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>';
  rejects(xxe, XML_CODES.doctype);
  rejects(xxe, XML_CODES.doctype, { allowInertDoctype: true });
  rejects('<!DOCTYPE foo SYSTEM "http://example.com/evil.dtd"><foo/>', XML_CODES.doctype, {
    allowInertDoctype: true,
  });
  const e = rejects('<foo>&xxe;</foo>', XML_CODES.entity);
  assert.match(e.message, /unknown entity &xxe;/);
  rejects('<foo a="&xxe;"/>', XML_CODES.entity);
});

test('the inert <!DOCTYPE name> is rejected by default and skipped on request', () => {
  rejects('<!DOCTYPE project>\n<r/>', XML_CODES.doctype);
  assert.deepEqual(
    tokenize('<?xml version="1.0"?>\n<!DOCTYPE project>\n<r/>', { allowInertDoctype: true }).evs,
    [
      { t: 'open', v: '{}r' },
      { t: 'close', v: 'r' },
    ],
  );
  rejects('<r/><!DOCTYPE project>', XML_CODES.doctype, { allowInertDoctype: true });
});

test('10,000-deep nesting is rejected quickly at the depth limit', () => {
  const deep = '<a>'.repeat(10_000) + '</a>'.repeat(10_000);
  const t0 = performance.now();
  const e = rejects(deep, XML_CODES.limitDepth);
  assert.ok(performance.now() - t0 < 100);
  assert.match(e.message, /nested deeper than the limit of 64/);
  assert.equal(e.column, 64 * 3 + 1);
  assert.doesNotThrow(() => tokenize('<a>'.repeat(64) + '</a>'.repeat(64)));
  rejects('<a>'.repeat(11) + '</a>'.repeat(11), XML_CODES.limitDepth, { limits: { maxDepth: 10 } });
});

test('size limits: text, attributes, element count, total size — checked before buffering more', () => {
  rejects(`<r>${'x'.repeat(200)}</r>`, XML_CODES.limitText, { limits: { maxTextLength: 100 } });
  // Endless text without '<', fed in chunks: rejected once the pending text passes the limit.
  const tok = new XmlTokenizer({ open() {}, text() {}, close() {} }, { limits: { maxTextLength: 1000 } });
  tok.write('<r>');
  assert.throws(
    () => {
      for (let i = 0; i < 100; i++) tok.write('y'.repeat(100));
    },
    (e: unknown) => e instanceof XmlError && e.code === XML_CODES.limitText,
  );
  rejects(`<r a="${'v'.repeat(200)}"/>`, XML_CODES.limitText, { limits: { maxTextLength: 100 } });
  rejects(`<r ${Array.from({ length: 20 }, (_, i) => `a${i}="1"`).join(' ')}/>`, XML_CODES.limitAttributes, {
    limits: { maxAttributes: 10 },
  });
  rejects(`<r>${'<e/>'.repeat(20)}</r>`, XML_CODES.limitElements, { limits: { maxElements: 10 } });
  rejects(`<r>${'<e/>'.repeat(20)}</r>`, XML_CODES.limitTotal, { limits: { maxTotalLength: 50 } });
  rejects(`<r><!--${'c'.repeat(200)}--></r>`, XML_CODES.limitText, { limits: { maxTextLength: 100 } });
});

test('bytes: UTF-8 with BOM, UTF-16LE with BOM, invalid UTF-8', () => {
  const d = new XmlByteDecoder();
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('<r>€</r>')]);
  let s = '';
  for (const b of bytes) s += d.decode(new Uint8Array([b]));
  s += d.decode(new Uint8Array(0), true);
  assert.equal(s, '<r>€</r>');
  const le = new XmlByteDecoder();
  const u16 = new Uint8Array([0xff, 0xfe, ...Array.from('<r/>').flatMap((c) => [c.charCodeAt(0), 0])]);
  assert.equal(le.decode(u16, true), '<r/>');
  assert.throws(
    () => new XmlByteDecoder().decode(new Uint8Array([0x3c, 0xff, 0x3e]), true),
    (e: unknown) => e instanceof XmlError && e.code === XML_CODES.encoding,
  );
});
