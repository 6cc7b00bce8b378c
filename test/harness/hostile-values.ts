// Generated inventory values that a careless script would run or split: shell syntax aimed at a marker file,
// globs, options, assignments, unicode and arbitrary strings, joined in any order (never a NUL, which no
// argument can carry).

import fc from 'fast-check'

/** Values an inventory could hold that a careless script would run: each touches MARKER when expanded. */
export function hostileValue(marker: string): fc.Arbitrary<string> {
  const attacks = fc.constantFrom(
    `$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`, `| touch ${marker}`, `&& touch ${marker} #`,
    `'$(touch ${marker})'`, `"$(touch ${marker})"`, `\ntouch ${marker}\n`, `'; touch ${marker}; '`, `\\'$(touch ${marker})`,
    `$'\\x27'; touch ${marker}`, `<(touch ${marker})`, `>(touch ${marker})`, `X=1 touch ${marker}`, `\${IFS}touch\${IFS}${marker}`,
    '*', '?', '[a-z]*', '~', '~root', '{a,b}', '-n', '-e', '--', '-rf', '--help', 'A=1', '!!', '$HOME', '$0', '$@', '\\',
    '%s%n', '\t', '\r\n', 'naïve ünï ☃ 🐙', '\u202e\u200b', '',
  )
  const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary-ascii' }))
  return fc.array(fc.oneof(attacks, text), { minLength: 1, maxLength: 4 })
    .map((parts) => parts.join(''))
    .filter((s) => !s.includes('\0'))
}
