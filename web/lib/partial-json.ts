// Claude streams a tool call's arguments as JSON text, a few characters at a time. To preview a
// file while Claude is still writing the call, the page reads that prefix as far as it goes:
// strings are cut where the text stops, a key without its value is left out, and containers are
// closed. The result is a best guess for display only; the machine never uses it.

/** Nothing usable yet: an empty prefix, or a value (literal, number) cut before it means anything. */
const MISSING = Symbol('missing');
type Parsed = unknown | typeof MISSING;

class Invalid extends Error {}

const WHITESPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)?(?:\.\d*)?(?:[eE][+-]?\d*)?/y;

class PrefixParser {
  private at = 0;

  constructor(private readonly text: string) {}

  parse(): unknown {
    const value = this.value();
    return value === MISSING ? undefined : value;
  }

  private skipWhitespace() {
    WHITESPACE.lastIndex = this.at;
    WHITESPACE.exec(this.text);
    this.at = WHITESPACE.lastIndex;
  }

  private get done() {
    return this.at >= this.text.length;
  }

  private value(): Parsed {
    this.skipWhitespace();
    if (this.done) return MISSING;
    const char = this.text[this.at];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    if (char === 't') return this.literal('true', true);
    if (char === 'f') return this.literal('false', false);
    if (char === 'n') return this.literal('null', null);
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number();
    throw new Invalid(`unexpected ${char}`);
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.at += 1;
    for (;;) {
      this.skipWhitespace();
      if (this.done) return result;
      const char = this.text[this.at];
      if (char === '}') {
        this.at += 1;
        return result;
      }
      if (char === ',') {
        this.at += 1;
        continue;
      }
      if (char !== '"') throw new Invalid('expected a key');
      const key = this.string();
      // A key still being written, or one whose value has not started, adds nothing yet.
      this.skipWhitespace();
      if (this.done) return result;
      if (this.text[this.at] !== ':') throw new Invalid('expected a colon');
      this.at += 1;
      const value = this.value();
      if (value === MISSING) return result;
      result[key] = value;
    }
  }

  private array(): unknown[] {
    const result: unknown[] = [];
    this.at += 1;
    for (;;) {
      this.skipWhitespace();
      if (this.done) return result;
      const char = this.text[this.at];
      if (char === ']') {
        this.at += 1;
        return result;
      }
      if (char === ',') {
        this.at += 1;
        continue;
      }
      const value = this.value();
      if (value === MISSING) return result;
      result.push(value);
    }
  }

  /**
   * A string, or as much of it as has arrived; an escape cut in half is left out. The native
   * JSON.parse decodes the escapes, which keeps a megabyte of file content cheap to preview.
   */
  private string(): string {
    const open = this.at;
    let close = this.text.indexOf('"', open + 1);
    while (close !== -1 && this.escaped(close)) close = this.text.indexOf('"', close + 1);
    if (close !== -1) {
      this.at = close + 1;
      return this.decode(this.text.slice(open, close + 1));
    }
    this.at = this.text.length;
    let body = this.text.slice(open + 1);
    // Drop a trailing escape that has not fully arrived: a lone backslash, or \u with < 4 digits.
    const cut = /\\(?:u[0-9a-fA-F]{0,3})?$/.exec(body);
    if (cut !== null && this.escaped(open + 1 + cut.index + 1)) body = body.slice(0, cut.index);
    return this.decode(`"${body}"`);
  }

  /** Whether the character at `index` is preceded by an odd number of backslashes. */
  private escaped(index: number): boolean {
    let count = 0;
    for (let i = index - 1; i >= 0 && this.text[i] === '\\'; i -= 1) count += 1;
    return count % 2 === 1;
  }

  private decode(literal: string): string {
    try {
      return JSON.parse(literal) as string;
    } catch {
      throw new Invalid('bad string');
    }
  }

  private literal(word: string, value: unknown): Parsed {
    const rest = this.text.slice(this.at, this.at + word.length);
    if (rest === word) {
      this.at += word.length;
      return value;
    }
    if (word.startsWith(rest) && this.at + rest.length === this.text.length) {
      this.at = this.text.length;
      return MISSING;
    }
    throw new Invalid(`expected ${word}`);
  }

  private number(): Parsed {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text)?.[0] ?? '';
    this.at += match.length;
    // A number at the very end may still grow ("1" of "12"); show it, it is only a preview.
    const value = Number(match.replace(/[-+.eE]+$/, ''));
    if (match === '' || match === '-') {
      if (this.done) return MISSING;
      throw new Invalid('bad number');
    }
    return Number.isFinite(value) ? value : MISSING;
  }
}

/**
 * Reads the longest meaningful value from a JSON prefix: `{"path": "notes/a` gives
 * `{ path: 'notes/a' }`. Undefined when nothing is there yet or the text is not JSON at all.
 */
export function parsePartialJson(text: string): unknown {
  try {
    return new PrefixParser(text).parse();
  } catch (error) {
    if (error instanceof Invalid) return undefined;
    throw error;
  }
}
