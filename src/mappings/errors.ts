// Mapping expressions come from connector defaults and from customers (per-connection overrides), so
// every problem carries the character offset: the API answers 400 naming the field and the position.

export class MappingSyntaxError extends Error {
  /** 0-based character offset into the expression. */
  readonly position: number;
  /** The mapped field whose expression failed, when known (set by compileMapping). */
  readonly field: string | undefined;

  constructor(message: string, position: number, field?: string) {
    super(field === undefined ? message : `${field}: ${message}`);
    this.name = 'MappingSyntaxError';
    this.position = position;
    this.field = field;
  }

  /** The same error attributed to a mapped field. */
  withField(field: string): MappingSyntaxError {
    return new MappingSyntaxError(this.bareMessage(), this.position, field);
  }

  /** The message without the field prefix. */
  bareMessage(): string {
    return this.field === undefined ? this.message : this.message.slice(this.field.length + 2);
  }
}
