/** Strings chosen to break naive shell quoting; shared by the unit test and the sshd lab test. */
export const hostileWords: readonly string[] = [
  '', ' ', "'", "''", "a'b", '"', '$(id)', '`id`', '${HOME}', '$HOME', ';', 'a;rm -rf /tmp/x', '\n', 'a\nb',
  '*', '~', '~root', '!!', '\\', '\\\'', '-n', '--', '|', '&&', '> /tmp/x', '\t', 'é€😀', "it's $(a) `b` \"c\"",
];
