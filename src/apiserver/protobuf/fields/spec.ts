// The vocabulary of the field-number tables: for each Kubernetes type (keyed by the same
// definition id our schemas carry, e.g. `io.k8s.api.core.v1.ConfigMap`), the protobuf field
// number of each JSON field. The schema already says what type a field has; the table adds only
// what the schema cannot know: the number, whether a scalar's zero value means something when it
// is on the wire, which timestamps are MicroTime, and which Go structs are inlined (flattened in
// JSON, a nested message in protobuf).

export interface FieldNumber {
  /** The field number on the wire. */
  readonly n: number;
  /**
   * A scalar whose zero value is kept when sent: a Go pointer (`*int32`, `*bool`: present means
   * set, so `replicas: 0` is real) or a field Go's JSON never omits. Every other scalar is
   * always sent by go-to-protobuf, and its zero value means "unset", as `omitempty` makes it.
   */
  readonly keepZero?: true;
  /** A metav1.MicroTime (microsecond precision) rather than a metav1.Time. */
  readonly micro?: true;
  /** An inlined Go struct: a message of this table type whose fields are the parent's JSON fields. */
  readonly inline?: string;
}

export type FieldSpec = number | FieldNumber;

/** JSON field name (or, for an inline struct, its protobuf name) to field number. */
export type MessageFields = Readonly<Record<string, FieldSpec>>;

/** Definition id to its fields. */
export type FieldTable = Readonly<Record<string, MessageFields>>;

export const kept = (n: number): FieldNumber => ({ n, keepZero: true });
export const micro = (n: number): FieldNumber => ({ n, micro: true });
export const inline = (n: number, type: string): FieldNumber => ({ n, inline: type });
