/*
 * STIX 2.1 patterning (§9, "STIX Patterning"), the part kyoyu emits and accepts on import:
 *
 *   pattern      := observation ((AND | OR | FOLLOWEDBY) observation)*
 *   observation  := ('[' comparison ']' | '(' pattern ')') qualifier*
 *   qualifier    := WITHIN number SECONDS | REPEATS int TIMES | START t'...' STOP t'...'
 *   comparison   := term ((AND | OR) term)*
 *   term         := '(' comparison ')' | path [NOT] op value
 *   path         := object-type ':' step ('.' step | '[' (int | '*') ']')*   (step: name or 'quoted')
 *   op           := = != < <= > >= LIKE MATCHES ISSUBSET ISSUPERSET | IN '(' value (',' value)* ')'
 *   value        := 'string' (\\ and \' escaped) | int | float | true | false | t'..' | h'..' | b'..'
 *
 * Operators and keywords are upper case (§9.3). Answers null for a valid pattern, else why not.
 */

const OPS = ['!=', '<=', '>=', '=', '<', '>'];
const WORD_OPS = ['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'];
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

class PatternError extends Error {}

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }
  private peek(s: string): boolean {
    this.space();
    return this.text.startsWith(s, this.at);
  }
  private word(): string {
    this.space();
    const m = /^[A-Za-z]+/.exec(this.text.slice(this.at));
    return m ? m[0] : '';
  }
  private take(s: string): void {
    if (!this.peek(s)) this.fail(`"${s}" expected`);
    this.at += s.length;
  }
  private takeWord(w: string): boolean {
    if (this.word() !== w) return false;
    this.at += w.length;
    return true;
  }
  fail(why: string): never {
    throw new PatternError(`${why} at character ${this.at + 1}`);
  }

  pattern(): void {
    this.observation();
    while (['AND', 'OR', 'FOLLOWEDBY'].some((w) => this.takeWord(w))) this.observation();
  }
  end(): void {
    this.space();
    if (this.at < this.text.length) this.fail('unexpected text');
  }
  private observation(): void {
    if (this.peek('[')) {
      this.take('[');
      this.comparison();
      this.take(']');
    } else if (this.peek('(')) {
      this.take('(');
      this.pattern();
      this.take(')');
    } else this.fail('"[" expected');
    for (;;) {
      if (this.takeWord('WITHIN')) {
        this.number();
        if (!this.takeWord('SECONDS')) this.fail('SECONDS expected');
      } else if (this.takeWord('REPEATS')) {
        this.number();
        if (!this.takeWord('TIMES')) this.fail('TIMES expected');
      } else if (this.takeWord('START')) {
        this.prefixed('t');
        if (!this.takeWord('STOP')) this.fail('STOP expected');
        this.prefixed('t');
      } else return;
    }
  }
  private comparison(): void {
    this.term();
    while (this.takeWord('AND') || this.takeWord('OR')) this.term();
  }
  private term(): void {
    if (this.peek('(')) {
      this.take('(');
      this.comparison();
      this.take(')');
      return;
    }
    this.path();
    this.takeWord('NOT');
    if (this.takeWord('IN')) {
      this.take('(');
      this.value();
      while (this.peek(',')) {
        this.take(',');
        this.value();
      }
      this.take(')');
      return;
    }
    const op = OPS.find((o) => this.peek(o));
    if (op) this.at += op.length;
    else if (!WORD_OPS.some((w) => this.takeWord(w))) this.fail('comparison operator expected');
    this.value();
  }
  private path(): void {
    this.space();
    const type = /^[a-z0-9][a-z0-9-]*[a-z0-9]/.exec(this.text.slice(this.at));
    if (!type) this.fail('object type expected');
    this.at += type[0].length;
    this.take(':');
    this.step();
    for (;;) {
      if (this.text[this.at] === '.') {
        this.at++;
        this.step();
      } else if (this.text[this.at] === '[') {
        const m = /^\[(\d+|\*)\]/.exec(this.text.slice(this.at));
        if (!m) return; // the "[" that closes nothing here is the observation's own: not ours
        this.at += m[0].length;
      } else return;
    }
  }
  private step(): void {
    if (this.text[this.at] === "'") {
      this.string();
      return;
    }
    const m = /^[a-z_][a-z0-9_-]*/i.exec(this.text.slice(this.at));
    if (!m) this.fail('property name expected');
    this.at += m[0].length;
  }
  private string(): string {
    if (this.text[this.at] !== "'") this.fail('quote expected');
    let out = '';
    for (this.at++; this.at < this.text.length; this.at++) {
      const ch = this.text[this.at]!;
      if (ch === '\\') {
        const next = this.text[this.at + 1];
        if (next !== '\\' && next !== "'") this.fail("only \\\\ and \\' are escapes");
        out += next;
        this.at++;
      } else if (ch === "'") {
        this.at++;
        return out;
      } else out += ch;
    }
    this.fail('unterminated string');
  }
  private prefixed(prefix: 't' | 'h' | 'b'): void {
    this.space();
    if (this.text[this.at] !== prefix || this.text[this.at + 1] !== "'") this.fail(`${prefix}'...' expected`);
    this.at++;
    const s = this.string();
    const ok =
      prefix === 't'
        ? TIMESTAMP.test(s)
        : prefix === 'h'
          ? /^([0-9a-fA-F]{2})*$/.test(s)
          : /^[A-Za-z0-9+/]*={0,2}$/.test(s);
    if (!ok) this.fail(`not a valid ${prefix}'...' literal`);
  }
  private number(): void {
    this.space();
    const m = /^-?\d+(\.\d+)?/.exec(this.text.slice(this.at));
    if (!m) this.fail('number expected');
    this.at += m[0].length;
  }
  private value(): void {
    this.space();
    const ch = this.text[this.at];
    if (ch === "'") this.string();
    else if ((ch === 't' || ch === 'h' || ch === 'b') && this.text[this.at + 1] === "'") this.prefixed(ch);
    else if (this.takeWord('true') || this.takeWord('false')) return;
    else this.number();
  }
}

/** Null when `pattern` is a valid STIX pattern of this grammar, else the reason (English). */
export function checkStixPattern(pattern: string): string | null {
  const parser = new Parser(pattern);
  try {
    parser.pattern();
    parser.end();
    return null;
  } catch (error) {
    if (error instanceof PatternError) return error.message;
    throw error;
  }
}
