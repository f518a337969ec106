// A label's colour, derived from its name alone, so it is the same on every
// page, chart and device without storing anything: FNV-1a hash of the
// case-folded name (labels are unique regardless of case) picks one of twelve
// colours. With many labels two may share a colour; the name is always shown.

export const PALETTE = [
  "#0072b2", // blue
  "#d55e00", // vermillion
  "#009e73", // green
  "#cc79a7", // pink
  "#e69f00", // orange
  "#56b4e9", // sky
  "#6a3d9a", // purple
  "#b15928", // brown
  "#e7298a", // magenta
  "#66a61e", // olive
  "#a6761d", // ochre
  "#737373", // grey
];

export function labelColor(name) {
  let hash = 0x811c9dc5;
  for (const char of name.toLowerCase()) {
    hash ^= char.codePointAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return PALETTE[hash % PALETTE.length];
}
