// Where to go after logging in: the `next` the login page was given, only if
// it stays on this origin.
//
// Checked the way the browser will read it, not by looking at the text:
// browsers drop tab, CR and LF from URLs, so "/\t/evil.example/" passes a
// "starts with / but not //" test and then navigates to //evil.example/.

/** An absolute URL on this origin for `value` (a path from ?next=), or "/" for anything else. */
export function safeNext(value, origin = location.origin) {
  if (!value) return "/";
  let url;
  try {
    url = new URL(value, origin);
  } catch {
    return "/";
  }
  // The parsed, absolute URL is returned, never `value` itself: a path such as
  // "/.//evil" parses to pathname "//evil", which as a relative URL would leave.
  return url.origin === origin ? url.href : "/";
}
