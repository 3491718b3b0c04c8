#!/usr/bin/env bash
# `cocoon crypto keygen|seal|open`, `cocoon job build` and per-command --help, as a user pipes
# them together. Hashes are checked with sha256sum, independently of the SDK.
# Usage: crypto_and_job.sh COCOON_BINARY
set -euo pipefail
cocoon=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# keygen: {"public_key": 64 hex, "secret_key": 64 hex}; two runs give two different keys.
"$cocoon" crypto keygen --json >"$work/key.json"
grep -Eq '^\{"public_key":"[0-9a-f]{64}","secret_key":"[0-9a-f]{64}"\}$' "$work/key.json" ||
  fail "keygen --json: $(cat "$work/key.json")"
"$cocoon" crypto keygen --json >"$work/other.json"
cmp -s "$work/key.json" "$work/other.json" && fail "keygen printed the same key twice"
public=$(sed 's/.*"public_key":"\([0-9a-f]*\)".*/\1/' "$work/key.json")
sed 's/.*"secret_key":"\([0-9a-f]*\)".*/\1/' "$work/key.json" >"$work/secret.hex"

# seal | open with info and aad, with the JSON key file and with the bare hex; binary-safe.
head -c 70000 /dev/urandom >"$work/plain"
"$cocoon" crypto seal --recipient "$public" --info app-v1 --aad job-7 <"$work/plain" >"$work/sealed"
[ "$(stat -c %s "$work/sealed")" -eq $((70000 + 32 + 16)) ] || fail "sealed size $(stat -c %s "$work/sealed")"
"$cocoon" crypto open --secret-file "$work/key.json" --info app-v1 --aad job-7 <"$work/sealed" >"$work/opened"
cmp -s "$work/plain" "$work/opened" || fail "open (JSON key file) did not give the plaintext back"
"$cocoon" crypto open --secret-file "$work/secret.hex" --aad job-7 --info app-v1 <"$work/sealed" >"$work/opened"
cmp -s "$work/plain" "$work/opened" || fail "open (hex key file) did not give the plaintext back"
# Two seals of the same input differ (a fresh ephemeral key each time).
"$cocoon" crypto seal --recipient "$public" --info app-v1 --aad job-7 <"$work/plain" >"$work/sealed2"
cmp -s "$work/sealed" "$work/sealed2" && fail "two seals were identical"

# Refusals: another aad, another info, another key, a flipped byte, a truncated input.
refused() {
  local what=$1; shift
  if "$cocoon" crypto open "$@" <"$work/input" >"$work/out" 2>"$work/err"; then fail "open accepted $what"; fi
  grep -q '^cocoon: .*decrypt\|^cocoon: .*shorter' "$work/err" || fail "open, $what: $(cat "$work/err")"
}
cp "$work/sealed" "$work/input"
refused "another aad" --secret-file "$work/key.json" --info app-v1 --aad job-8
refused "another info" --secret-file "$work/key.json" --info app-v2 --aad job-7
refused "another key" --secret-file "$work/other.json" --info app-v1 --aad job-7
# Flip one bit of byte 40000, so the byte always changes (writing a fixed value left it as it was
# once in 256 runs).
byte=$(od -An -tu1 -j40000 -N1 "$work/sealed" | tr -d ' ')
printf "\\$(printf '%03o' $((byte ^ 1)))" | dd of="$work/input" bs=1 seek=40000 conv=notrunc status=none
cmp -s "$work/input" "$work/sealed" && fail "the test did not change a byte"
refused "a changed byte" --secret-file "$work/key.json" --info app-v1 --aad job-7
head -c 40 "$work/sealed" >"$work/input"
refused "a truncated input" --secret-file "$work/key.json" --info app-v1 --aad job-7

# A bad recipient and a bad key file are one-line errors.
if "$cocoon" crypto seal --recipient abcd </dev/null 2>"$work/err"; then fail "seal accepted a 2-byte key"; fi
grep -q '^cocoon: ' "$work/err" || fail "seal, short key: $(cat "$work/err")"
echo nothex >"$work/bad.key"
if "$cocoon" crypto open --secret-file "$work/bad.key" <"$work/sealed" 2>"$work/err"; then fail "open accepted junk"; fi
grep -q 'not a secret key' "$work/err" || fail "open, junk key file: $(cat "$work/err")"

# job build: the hash is SHA-256 of the canonical JSON line; flags and --from agree.
"$cocoon" job build --model m1 --system "Be brief." --user "Hi" --max-tokens 16 --stream --seed 7 >"$work/job"
canonical=$(sed -n 1p "$work/job")
hash=$(sed -n 's/^hash //p' "$work/job")
[ "$hash" = "$(printf '%s' "$canonical" | sha256sum | cut -d' ' -f1)" ] || fail "job hash is not SHA-256 of $canonical"
grep -q '"model":"m1"' <<<"$canonical" || fail "canonical JSON: $canonical"
cat >"$work/request.json" <<'JSON'
{"stream": true, "messages": [{"role": "system", "content": "Be brief."}, {"content": "Hi", "role": "user"}],
 "model": "m1", "seed": 7, "max_tokens": 16}
JSON
"$cocoon" job build --from "$work/request.json" >"$work/job2"
cmp -s "$work/job" "$work/job2" || fail "--from gave $(cat "$work/job2"), flags gave $(cat "$work/job")"
"$cocoon" job build --from - <"$work/request.json" >"$work/job2"
cmp -s "$work/job" "$work/job2" || fail "--from - differs"
"$cocoon" job build --from "$work/request.json" --json >"$work/job.json"
grep -q "\"hash\":\"$hash\"" "$work/job.json" || fail "job build --json: $(cat "$work/job.json")"
# The builder's validation reaches the user: no messages, an unknown request member.
if "$cocoon" job build --model m1 2>"$work/err"; then fail "a job without messages was built"; fi
grep -q '^cocoon: .*messages' "$work/err" || fail "no messages: $(cat "$work/err")"
echo '{"model":"m","messages":[],"tools":[]}' >"$work/request.json"
if "$cocoon" job build --from "$work/request.json" 2>"$work/err"; then fail "a request with tools was built"; fi
grep -q 'tools' "$work/err" || fail "tools: $(cat "$work/err")"

# --help: a command's own usage, a group's commands, exit 0.
"$cocoon" crypto seal --help >"$work/help"
grep -q '^usage: cocoon crypto seal --recipient HEX \[--info S\] \[--aad S\]' "$work/help" || fail "seal --help: $(cat "$work/help")"
"$cocoon" attest verify --help >"$work/help"
grep -q '^usage: cocoon attest verify QUOTE_OR_CERT' "$work/help" || fail "attest verify --help: $(cat "$work/help")"
"$cocoon" version --help >"$work/help"
grep -q '^usage: cocoon version \[--json\]' "$work/help" || fail "version --help: $(cat "$work/help")"
"$cocoon" crypto --help >"$work/help"
[ "$(grep -c '^  crypto ' "$work/help")" -eq 3 ] && ! grep -q '^  ton ' "$work/help" || fail "crypto --help: $(cat "$work/help")"
echo "crypto and job commands: ok"
