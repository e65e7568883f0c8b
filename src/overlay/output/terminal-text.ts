// Text from a capture (interface names, comments, section headers, anything a dissector quotes) goes
// to a terminal only escaped: an ESC or other control character in a crafted file must not move the
// cursor, retitle the window or hide lines. Shown as \x1b, \n, \u202e... instead.

/** C0 controls but tab, DEL, C1 controls, line/paragraph separators and bidirectional overrides. */
// eslint-disable-next-line no-control-regex -- finding control characters is what this pattern is for
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  // C0 controls as \x1b; the others as \u009b, which JSON lines (where only they can occur raw) also read.
  return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every character that could control a terminal written as an escape. One line stays one line. */
export function terminalSafe(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeChar) : text;
}
