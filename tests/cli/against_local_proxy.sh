#!/usr/bin/env bash
# `cocoon proxy info`, `cocoon models --proxy` and `cocoon submit --proxy` as a user runs them, against `cocoon local up`
# started the way its own banner says, in another process.
# Usage: against_local_proxy.sh COCOON_BINARY
set -euo pipefail
cocoon=$1
work=$(mktemp -d)
network=
trap 'kill $network 2>/dev/null || true; wait $network 2>/dev/null || true; rm -rf "$work"' EXIT
# Starts `cocoon local up ARGS...` with its banner in $work/up, once the banner is out.
start_network() {
  "$cocoon" local up --port 0 --seconds 120 "$@" >"$work/up" &
  network="$network $!"
  for _ in $(seq 200); do
    grep -q '^try: ' "$work/up" && return
    kill -0 "$!" || { echo "cocoon local up exited:"; cat "$work/up"; exit 1; }
    sleep 0.05
  done
}
start_network
# The banner's suggestion: cocoon submit --proxy 127.0.0.1:PORT --insecure-test-policy --secret S --model M "Hello"
read -r -a suggested < <(sed -n 's/^try: cocoon //p' "$work/up")
endpoint=${suggested[2]} secret=${suggested[5]} model=${suggested[7]}
echo "local network on $endpoint"

fail() { echo "FAIL: $*"; exit 1; }

# The proxy's verified attestation, as JSON; with the secret, the session is authorised too.
"$cocoon" proxy info "$endpoint" --insecure-test-policy --json >"$work/info"
for field in '"tee_type":"fake-tdx"' '"verdict":"ok"' '"image_hash":"[0-9a-f]\{64\}"' '"authorized":false'; do
  grep -q "$field" "$work/info" || fail "proxy info: no $field in $(cat "$work/info")"
done
"$cocoon" proxy info "$endpoint" --insecure-test-policy --secret "$secret" --json >"$work/info"
grep -q '"authorized":true' "$work/info" || fail "proxy info with the secret: not authorised: $(cat "$work/info")"

# Without the test policy the fake attestation is refused, before any job.
if "$cocoon" proxy info "$endpoint" >"$work/refused" 2>&1; then fail "proxy info accepted fake TDX without the test policy"; fi
grep -q '^cocoon: ' "$work/refused" || fail "refusal without a one-line error: $(cat "$work/refused")"

# The proxy's one model and its worker (base price, idle), as a table and as JSON.
"$cocoon" models --proxy "$endpoint" --insecure-test-policy --secret "$secret" >"$work/models"
grep -q "^$model  *1000  *0/1\$" "$work/models" || fail "models: $(cat "$work/models")"
"$cocoon" models --proxy "$endpoint" --insecure-test-policy --secret "$secret" --json >"$work/models"
expected='{"models":[{"name":"'$model'","workers":[{"coefficient":1000,"max_running_requests":1,"running_requests":0}]}]}'
[ "$(cat "$work/models")" = "$expected" ] || fail "models --json: $(cat "$work/models")"

# A job streamed through the facade; the same prompt twice gives the reference model's same text.
"$cocoon" "${suggested[@]:0:8}" Hello >"$work/answer1"
"$cocoon" submit --proxy "$endpoint" --insecure-test-policy --secret "$secret" --model "$model" Hello >"$work/answer2"
[ -s "$work/answer1" ] || fail "submit printed no answer"
cmp -s "$work/answer1" "$work/answer2" || fail "the same seeded job gave two answers"

# With a secret that does not match, short authorisation is impossible and the CLI has no wallet
# for the long one: it says so.
if "$cocoon" submit --proxy "$endpoint" --insecure-test-policy --secret wrong --model "$model" hi \
  >"$work/wrong" 2>&1; then
  fail "submit succeeded with a wrong secret"
fi
grep -q 'register with the proxy on chain' "$work/wrong" || fail "wrong secret: $(cat "$work/wrong")"
echo "ok: proxy info, models, refused without the test policy, two identical answers, wrong secret needs registration"

# A production-mode proxy refuses a test client (test mode mismatch), as a real one does.
start_network --is-test false
grep -q 'production mode' "$work/up" || fail "--is-test false: banner $(cat "$work/up")"
production=$(sed -n 's/^try: cocoon submit --proxy \([^ ]*\) .*/\1/p' "$work/up")
if "$cocoon" proxy info "$production" --insecure-test-policy >"$work/mismatch" 2>&1; then
  fail "a production proxy accepted a test client"
fi
grep -q 'the proxy refused the client' "$work/mismatch" || fail "production proxy: $(cat "$work/mismatch")"
echo "ok: a production-mode proxy refuses a test client"
