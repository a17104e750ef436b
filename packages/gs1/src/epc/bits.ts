/** Bit packing for EPC binary encodings. Values are BigInt: fields reach 140 bits. */

export class BitWriter {
  private value = 0n;
  private bits = 0;

  /** Appends `value` as an unsigned big-endian field of `width` bits (the caller checked it fits). */
  put(value: bigint, width: number): this {
    if (width <= 0) return this;
    if (value < 0n || value >> BigInt(width) !== 0n)
      throw new RangeError(`${value} does not fit in ${width} bits`);
    this.value = (this.value << BigInt(width)) | value;
    this.bits += width;
    return this;
  }

  get length(): number {
    return this.bits;
  }

  /** The bits as a 0/1 string, zero-padded on the right to a whole number of 16-bit words. */
  toBinary(): string {
    const padded = Math.ceil(this.bits / 16) * 16;
    const s = this.bits === 0 ? '' : this.value.toString(2).padStart(this.bits, '0');
    return s.padEnd(padded, '0');
  }
}

/** Upper-case hex of a 0/1 string whose length is a multiple of 4. */
export function binaryToHex(bits: string): string {
  let out = '';
  for (let i = 0; i < bits.length; i += 4)
    out += Number.parseInt(bits.slice(i, i + 4).padEnd(4, '0'), 2).toString(16);
  return out.toUpperCase();
}

/** 0/1 string of a hex string, or undefined when it is not hex. */
export function hexToBinary(hex: string): string | undefined {
  if (!/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  let out = '';
  for (const c of hex) out += Number.parseInt(c, 16).toString(2).padStart(4, '0');
  return out;
}

export class BitReader {
  pos = 0;
  constructor(readonly bits: string) {}

  get remaining(): number {
    return this.bits.length - this.pos;
  }

  /** Reads an unsigned field, or undefined when the input ends first. */
  read(width: number): bigint | undefined {
    if (width === 0) return 0n;
    if (this.pos + width > this.bits.length) return undefined;
    const v = BigInt(`0b${this.bits.slice(this.pos, this.pos + width)}`);
    this.pos += width;
    return v;
  }
}
