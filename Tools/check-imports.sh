#!/bin/bash
# Enforces the module boundaries of docs/ARCHITECTURE.md (rules 1 and 2) on every Swift file under Sources/:
#   1. a C module is imported only as `internal import` (never public, package, @_exported,
#      @_implementationOnly or without an access level);
#   2. a C module is imported only by its wrapper modules (table below), and the platform C
#      library (Glibc/Musl) only by Posix and the wrappers;
#   3. `Unsafe*` / `unsafeXxx` APIs, `OpaquePointer` and `Unmanaged` appear only in the wrapper
#      modules and Posix (comments are ignored);
#   4. the transport and the services meet only in RPC (rule 2): GRPCTransport imports no
#      message or service module, and a service imports no transport module.
# A C target (a Sources/ folder with no Swift file) missing from the table is itself an error,
# so a new C module cannot slip past the check. Prints one line per violation; exit status 1 if any.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# C module -> the only Swift modules that may import it (space-separated).
declare -A wrapper=(
  [CNGHTTP2]=HTTP2
  [COpenSSL]="Crypto TLS"
  [CZlib]=GZip
  [CProtobufC]=Messages
  [CReplyIntentProtos]=Messages
  [CPosix]=Posix
  [CSQLite]=SQL
  [CLibPQ]=SQL
)
# Modules allowed to hold pointer code (and to import the platform C library).
unsafe_ok=" HTTP2 Crypto TLS GZip Messages Posix SQL "
# Swift module -> modules it must never import (rule 2).
declare -A forbidden=(
  [GRPCTransport]=" Messages InteropService ReplyIntentService Classifier "
  [InteropService]=" GRPCTransport HTTP2 TLS GZip Posix "
  [ReplyIntentService]=" GRPCTransport HTTP2 TLS GZip Posix "
  [TenantStore]=" GRPCTransport HTTP2 TLS GZip Messages ReplyIntentService "
  [RPC]=" GRPCTransport HTTP2 TLS GZip Posix Messages InteropService "
)

violations=$(mktemp); trap 'rm -f "$violations"' EXIT
fail() { echo "$1" >> "$violations"; }

for dir in Sources/*/; do
  module=$(basename "$dir")
  if [ -z "$(find "$dir" -name '*.swift' -print -quit)" ] && [ -z "${wrapper[$module]+x}" ]; then
    fail "Sources/$module: C target without a wrapper module: add it to the table in Tools/check-imports.sh"
  fi
done

c_modules=$(printf '%s\n' "${!wrapper[@]}" | paste -sd' ')

while IFS= read -r -d '' file; do
  module=${file#Sources/}; module=${module%%/*}
  # awk prints "line<TAB>kind<TAB>detail" for every finding in this file.
  awk -v c_modules="$c_modules" '
    BEGIN {
      n = split(c_modules, list, " ")
      for (i = 1; i <= n; i++) is_c[list[i]] = 1
      is_c["Glibc"] = 2; is_c["Musl"] = 2
      in_block = 0
    }
    {
      line = $0
      # Drop block comments (possibly spanning lines), then line comments.
      code = ""
      while (length(line) > 0) {
        if (in_block) {
          end = index(line, "*/")
          if (end == 0) { line = ""; break }
          line = substr(line, end + 2); in_block = 0
        } else {
          start = index(line, "/*"); slash = index(line, "//")
          if (slash > 0 && (start == 0 || slash < start)) { code = code substr(line, 1, slash - 1); line = ""; break }
          if (start == 0) { code = code line; line = ""; break }
          code = code substr(line, 1, start - 1); line = substr(line, start + 2); in_block = 1
        }
      }
      if (code ~ /(^|[^A-Za-z0-9_])import[ \t]+/ && code ~ /^[ \t]*(@[A-Za-z_]+(\([^)]*\))?[ \t]+)*((public|package|internal|fileprivate|private)[ \t]+)?import[ \t]/) {
        rest = code
        sub(/^[ \t]*/, "", rest)
        attrs = ""; access = ""
        while (match(rest, /^@[A-Za-z_]+(\([^)]*\))?[ \t]+/)) { attrs = attrs substr(rest, 1, RLENGTH); rest = substr(rest, RLENGTH + 1) }
        if (match(rest, /^(public|package|internal|fileprivate|private)[ \t]+/)) { access = substr(rest, 1, RLENGTH); sub(/[ \t]+$/, "", access); rest = substr(rest, RLENGTH + 1) }
        sub(/^import[ \t]+/, "", rest)
        sub(/^(typealias|struct|class|enum|protocol|let|var|func)[ \t]+/, "", rest)
        match(rest, /^[A-Za-z_][A-Za-z0-9_]*/)
        imported = substr(rest, 1, RLENGTH)
        if (imported in is_c) {
          if (is_c[imported] == 1 && (access != "internal" || attrs ~ /@_exported|@_implementationOnly/))
            printf "%d\taccess\t%s\t%s\n", NR, imported, (access == "" ? "no access level" : access)
          printf "%d\timport\t%s\n", NR, imported
        } else {
          printf "%d\tswift\t%s\n", NR, imported
        }
      }
      if (match(code, /Unsafe[A-Za-z]*|unsafe[A-Z][A-Za-z]*|OpaquePointer|Unmanaged/))
        printf "%d\tunsafe\t%s\n", NR, substr(code, RSTART, RLENGTH)
    }
  ' "$file" | while IFS=$'\t' read -r line kind what extra; do
    case $kind in
      access)
        fail "$file:$line: C module $what must be imported as 'internal import $what' ($extra)" ;;
      import)
        if [ "$what" = Glibc ] || [ "$what" = Musl ]; then
          if [[ $unsafe_ok != *" $module "* ]]; then fail "$file:$line: $what imported in $module: system calls belong in Posix"; fi
        elif [[ " ${wrapper[$what]} " != *" $module "* ]]; then
          fail "$file:$line: $what imported in $module: only ${wrapper[$what]// / or } may import it"
        fi ;;
      swift)
        if [[ ${forbidden[$module]:-} == *" $what "* ]]; then
          fail "$file:$line: $module imports $what: the transport and the services meet only in RPC"
        fi ;;
      unsafe)
        if [[ $unsafe_ok != *" $module "* ]]; then
          fail "$file:$line: '$what' in $module: pointer code belongs in HTTP2, Crypto, TLS, GZip, Messages or Posix"
        fi ;;
    esac
  done
done < <(find Sources -name '*.swift' -print0 | sort -z)

if [ -s "$violations" ]; then
  cat "$violations" >&2
  echo "check-imports: $(wc -l < "$violations") violation(s) of the module boundaries (docs/ARCHITECTURE.md, rules 1 and 2)" >&2
  exit 1
fi
echo "check-imports: imports and pointer use are within the module boundaries"
