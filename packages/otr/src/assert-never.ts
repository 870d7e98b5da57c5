/** Exhaustiveness helper: a `switch` over a union ends in `assertNever(value)`. */
export function assertNever(value: never): never {
  throw new Error(`unexpected variant ${JSON.stringify(value)}`);
}
