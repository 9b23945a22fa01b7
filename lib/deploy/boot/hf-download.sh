# Shared: the Hugging Face download (lib/deploy/boot/README.md).
#
# huggingface_hub.snapshot_download runs inside the engine image, which ships huggingface_hub (vLLM
# and SGLang load models through it); its Python API is the same in the 0.x and 1.x releases, unlike
# the CLI (`huggingface-cli` became `hf`). HF_TOKEN is read from the environment by huggingface_hub.
# Needs read_secret (the cloud's: Secrets Manager or Key Vault) and the header's MODEL_SOURCE,
# MODEL_REVISION, HF_TOKEN_SECRET_ID, IMAGE, HF_DOWNLOAD_PY.

# download_from_hf DIR [DOCKER_ARG...]: the repository's snapshot into DIR.
download_from_hf() {
  local dir="$1" token='' env_args=()
  shift
  if [[ -n "$HF_TOKEN_SECRET_ID" ]]; then
    token=$(read_secret "$HF_TOKEN_SECRET_ID") || die "cannot read the Hugging Face token ($HF_TOKEN_SECRET_ID)"
    env_args=(-e HF_TOKEN)
  fi
  # docker takes HF_TOKEN's value from its own environment: it never appears in an argv.
  HF_TOKEN="$token" docker run --rm --entrypoint python3 "${env_args[@]}" -e HF_HUB_DISABLE_TELEMETRY=1 \
    -v "$dir:/download" "$@" "$IMAGE" -c "$HF_DOWNLOAD_PY" "$MODEL_SOURCE" "$MODEL_REVISION" /download
}
