/** The generated spaces of the compile benches: a stem, then `n` residual units. */

/** A space of `units` residual units. */
export function generatedSpaceOfUnits(units: number): string {
  return `
block unit(w: int) {
  residual { conv(1, w) -> bn -> relu -> conv(3, w) -> bn } -> relu
}
space generated(n: int = ${units}) {
  input(8, 8, 3)
  conv(3, 16) as stem -> bn -> relu
  for i in 0..n { unit(16) }
  global_avgpool -> dense(10) fixed
}
`;
}

/** block `unit` is 7 primitive ops (conv, bn, relu, conv, bn, add, relu); the rest are 6. */
export function generatedSpace(ops: number): string {
  return generatedSpaceOfUnits(Math.ceil((ops - 6) / 7));
}
