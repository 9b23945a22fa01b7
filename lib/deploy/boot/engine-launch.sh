# Shared: the per-start files of the engine and its argv (lib/deploy/boot/README.md).
# Needs read_secret and api_key_check (the cloud's fragments) and the header's ENGINE_ARGV,
# PH_HEAD / PH_RANK (the node variables as literal text), HOST_IP_ENV, SERVES_API, API_KEY_ENV.

# write_runtime_env HEAD_ADDR NODE_ADDR [LINE...]: the node's runtime variables for the container
# (--env-file), replaced atomically.
write_runtime_env() {
  local tmp
  install -d -m 0700 "$RUN_DIR"
  tmp=$(mktemp "$RUN_DIR/runtime.env.XXXXXX")
  {
    printf 'HEAD_ADDR=%s\nNODE_RANK=%s\nNODE_ADDR=%s\n' "$1" "$NODE_RANK" "$2"
    if (($# > 2)); then printf '%s\n' "${@:3}"; fi
    if [[ -n "$HOST_IP_ENV" ]]; then printf '%s=%s\n' "$HOST_IP_ENV" "$2"; fi
  } >"$tmp"
  mv -f "$tmp" "$RUN_DIR/runtime.env"
}

# write_secret_env SECRET: on the serving rank the API key as API_KEY_ENV=<key>; elsewhere empty.
# mktemp creates the file with mode 600; the key never leaves this root-only tmpfs directory.
write_secret_env() {
  local tmp key
  tmp=$(mktemp "$RUN_DIR/secret.env.XXXXXX")
  if [[ "$SERVES_API" == 1 ]]; then
    key=$(read_secret "$1") || die "cannot read the API key secret $1 (stored yet?)"
    [[ -n "$key" && "$key" != *$'\n'* ]] || die "the API key secret is empty or spans several lines"
    api_key_check "$key"
    printf '%s=%s\n' "$API_KEY_ENV" "$key" >"$tmp"
  fi
  mv -f "$tmp" "$RUN_DIR/secret.env"
}

# fill_argv HEAD_ADDR: the rank's argv with ${HEAD_ADDR} / ${NODE_RANK} substituted, into ARGV
# (other ${...} expand inside the container).
fill_argv() {
  local a
  ARGV=()
  for a in "${ENGINE_ARGV[@]}"; do
    a=${a//"$PH_HEAD"/"$1"}
    a=${a//"$PH_RANK"/"$NODE_RANK"}
    ARGV+=("$a")
  done
}
