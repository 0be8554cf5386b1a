#!/bin/sh
# check-po.sh PODIR — every catalogue listed in PODIR/LINGUAS compiles cleanly
# (msgfmt --check: format strings, plural forms, header) and is complete: no
# fuzzy and no untranslated message. Prints msgfmt's statistics per language.
set -u
podir=${1:?usage: check-po.sh PODIR}
status=0

langs=$(sed -e 's/#.*//' "$podir/LINGUAS" | tr -s ' \t' '\n' | sed '/^$/d')
[ -n "$langs" ] || { echo "check-po: no language in $podir/LINGUAS"; exit 1; }

for lang in $langs; do
  po=$podir/$lang.po
  if [ ! -f "$po" ]; then
    echo "$lang: $po is missing"; status=1; continue
  fi
  # msgfmt prints its statistics on stderr; LC_ALL=C keeps them in English.
  if ! stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
    printf '%s: msgfmt --check failed:\n%s\n' "$lang" "$stats"; status=1; continue
  fi
  echo "$lang: $stats"
  case $stats in
    *fuzzy*|*untranslated*) echo "$lang: incomplete: translate every message, leave none fuzzy"
                            status=1 ;;
  esac
  if ! grep -q '^"Plural-Forms: nplurals=[0-9]*; plural=' "$po"; then
    echo "$lang: no Plural-Forms header"; status=1
  fi
done
exit $status
