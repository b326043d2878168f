/**
 * A minimal WebAssembly binary writer: just enough to emit lmrec's SIMD
 * kernels from TypeScript at load time, so no compiler and no .wasm file is
 * needed at install or build time. Opcodes follow the WebAssembly core and
 * fixed-width SIMD specifications.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof V128;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const utf8 = (s: string) => [...uleb(Buffer.byteLength(s)), ...Buffer.from(s)];

/** Instruction emitter for one function body; methods return `this` for chaining. */
export class Body {
  readonly bytes: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(readonly params: readonly ValType[]) {}

  /** Declare a local; returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  raw(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }
  get(i: number): this {
    return this.raw(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.raw(0x21, ...uleb(i));
  }
  i32(n: number): this {
    return this.raw(0x41, ...sleb(n | 0));
  }
  /** Structured control: block / loop with an empty result type. */
  block(): this {
    return this.raw(0x02, 0x40);
  }
  loop(): this {
    return this.raw(0x03, 0x40);
  }
  if(): this {
    return this.raw(0x04, 0x40);
  }
  else(): this {
    return this.raw(0x05);
  }
  end(): this {
    return this.raw(0x0b);
  }
  br(depth: number): this {
    return this.raw(0x0c, ...uleb(depth));
  }
  brIf(depth: number): this {
    return this.raw(0x0d, ...uleb(depth));
  }
  ret(): this {
    return this.raw(0x0f);
  }
  /** i32 binary ops by name. */
  op(name: keyof typeof I32_OPS): this {
    return this.raw(I32_OPS[name]);
  }
  loadI32(offset = 0): this {
    return this.raw(0x28, 2, ...uleb(offset));
  }
  loadF32(offset = 0): this {
    return this.raw(0x2a, 2, ...uleb(offset));
  }
  storeF32(offset = 0): this {
    return this.raw(0x38, 2, ...uleb(offset));
  }
  /** The f32 sum of v128 local v's four lanes, ((l0 + l1) + l2) + l3, left on the stack. */
  laneSum(v: number): this {
    this.get(v).raw(0xfd, ...uleb(0x1f), 0);
    for (let lane = 1; lane < 4; lane++) this.get(v).raw(0xfd, ...uleb(0x1f), lane).raw(0x92);
    return this;
  }
  storeI32(offset = 0): this {
    return this.raw(0x36, 2, ...uleb(offset));
  }
  /** f32.gt: i32 1 when the first operand is greater (0 when either is NaN). */
  f32Gt(): this {
    return this.raw(0x5e);
  }
  /** select: the first operand when the i32 condition on top is non-zero, else the second. */
  select(): this {
    return this.raw(0x1b);
  }
  simd(name: keyof typeof SIMD_OPS, offset?: number): this {
    this.raw(0xfd, ...uleb(SIMD_OPS[name]));
    // memory instructions carry align (log2) + offset
    if (name === 'load' || name === 'store') this.raw(4, ...uleb(offset ?? 0));
    else if (name === 'load32_splat') this.raw(2, ...uleb(offset ?? 0));
    return this;
  }
  /** v128.const of zeros. */
  zero(): this {
    return this.raw(0xfd, ...uleb(0x0c), ...new Array(16).fill(0));
  }
  /** `local += delta` for an i32 local. */
  addTo(i: number, delta: number | { local: number }): this {
    this.get(i);
    if (typeof delta === 'number') this.i32(delta);
    else this.get(delta.local);
    return this.op('add').set(i);
  }

  encode(): number[] {
    const groups: [number, ValType][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body = [...uleb(groups.length), ...groups.flatMap(([n, t]) => [...uleb(n), t]), ...this.bytes, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

const I32_OPS = {
  eqz: 0x45,
  eq: 0x46,
  ne: 0x47,
  lt_s: 0x48,
  lt_u: 0x49,
  ge_s: 0x4e,
  ge_u: 0x4f,
  add: 0x6a,
  sub: 0x6b,
  mul: 0x6c,
  shl: 0x74,
  and: 0x71,
} as const;

const SIMD_OPS = {
  load: 0x00,
  load32_splat: 0x09,
  store: 0x0b,
  f32x4_splat: 0x13,
  any_true: 0x53,
  f32x4_gt: 0x44,
  v128_or: 0x50,
  f32x4_sqrt: 0xe3,
  f32x4_add: 0xe4,
  f32x4_sub: 0xe5,
  f32x4_mul: 0xe6,
  f32x4_div: 0xe7,
} as const;

export interface FuncDef {
  name: string;
  params: readonly ValType[];
  results: readonly ValType[];
  body: Body;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/**
 * A module importing one shared memory (`env.memory`, so worker threads can
 * run the same code on the same bytes) and exporting the given functions.
 */
export function assemble(funcs: readonly FuncDef[], memory: { initial: number; maximum: number }): Uint8Array {
  const types = funcs.map((f) => [0x60, ...uleb(f.params.length), ...f.params, ...uleb(f.results.length), ...f.results]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(types.length), ...types.flat()]),
    ...section(2, [1, ...utf8('env'), ...utf8('memory'), 0x02, 0x03, ...uleb(memory.initial), ...uleb(memory.maximum)]),
    ...section(3, [...uleb(funcs.length), ...funcs.flatMap((_, i) => uleb(i))]),
    ...section(7, [...uleb(funcs.length), ...funcs.flatMap((f, i) => [...utf8(f.name), 0x00, ...uleb(i)])]),
    ...section(10, [...uleb(funcs.length), ...funcs.flatMap((f) => f.body.encode())]),
  ];
  return Uint8Array.from(bytes);
}
