// The API's input limits (lengths, patterns, ranges), read from the schemas on
// the server (lifelogger/ui/limits.py) and carried by every page shell as
// <script type="application/json" id="limits">: limits.label.name.max_length,
// limits.goal.minutes.max, ... A name no schema sets throws instead of giving
// undefined, which would quietly drop a check.

function strict(value, path) {
  if (value === null || typeof value !== "object") return value;
  const checked = {};
  for (const [key, inner] of Object.entries(value)) checked[key] = strict(inner, `${path}.${key}`);
  return new Proxy(Object.freeze(checked), {
    get(target, key) {
      if (typeof key === "string" && !(key in target) && key !== "then" && key !== "toJSON") {
        throw new Error(`No limit ${path}.${key}: the schemas set ${Object.keys(target).join(", ") || "none"} here.`);
      }
      return target[key];
    },
  });
}

const element = document.getElementById("limits");
export const limits = strict(element ? JSON.parse(element.textContent) : {}, "limits");
