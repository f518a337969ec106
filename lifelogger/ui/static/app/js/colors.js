// Label colours, derived from the names alone so every page and chart agrees
// without storing anything.
//
// A hash (FNV-1a of the case-folded name: labels are unique regardless of
// case) picks a preferred slot in a 12-colour palette. Within one person's
// label set, when two names want the same slot, the one with the lower hash
// keeps it and the other takes the next free slot. So up to 12 labels never
// share a colour, every page (which all know the full label set) shows the
// same colours, and a label's colour only changes when a label that shared
// its slot is added, renamed or deleted.

export const PALETTE = [
  "#0072b2", // blue
  "#d55e00", // vermillion
  "#009e73", // green
  "#cc79a7", // pink
  "#e69f00", // orange
  "#56b4e9", // sky
  "#6a3d9a", // purple
  "#8c564b", // brown
  "#e7298a", // magenta
  "#66a61e", // olive
  "#b8a000", // mustard
  "#737373", // grey
];

export function nameHash(name) {
  let hash = 0x811c9dc5;
  for (const char of name.toLowerCase()) {
    hash ^= char.codePointAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Map of case-folded name → colour for a whole label set. */
export function assignColors(names) {
  const keys = [...new Set(names.map((name) => name.toLowerCase()))];
  keys.sort((a, b) => nameHash(a) - nameHash(b) || (a < b ? -1 : a > b ? 1 : 0));
  const taken = new Set();
  const colors = new Map();
  for (const key of keys) {
    let slot = nameHash(key) % PALETTE.length;
    if (taken.size < PALETTE.length) while (taken.has(slot)) slot = (slot + 1) % PALETTE.length;
    taken.add(slot);
    colors.set(key, PALETTE[slot]);
  }
  return colors;
}

let current = new Map();

/** Tell the page the person's full label set (GET /labels) before drawing colours. */
export function useLabelSet(names) {
  current = assignColors(names);
}

export function labelColor(name) {
  return current.get(name.toLowerCase()) || PALETTE[nameHash(name) % PALETTE.length];
}
