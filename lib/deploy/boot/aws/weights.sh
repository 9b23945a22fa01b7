# The EC2 weight download (lib/deploy/boot/README.md): S3 sync, the model store, or Hugging Face
# (hf-download.sh), after the mount_weights hook (shared-weights-*.sh) had its say; rank 0 fills
# the model store after a Hugging Face download.
#
# `aws s3 sync` parallelism is set through an AWS CLI config file (`s3.max_concurrent_requests`,
# `s3.multipart_chunksize`; https://docs.aws.amazon.com/cli/latest/topic/s3-config.html, confirmed).
WEIGHTS_FROM=''

s3_sync() {
  AWS_CONFIG_FILE="$APP_DIR/etc/aws-s3.conf" aws s3 sync "$1" "$2" --only-show-errors --exclude "$MARKER"
}

fetch_weights() {
  local dir="$DATA_DIR/models/$MODEL_ID"
  if [[ -f "$dir/$MARKER" ]]; then
    log "weights already complete in $dir"
    return 0
  fi
  mkdir -p "$dir" "$DATA_DIR/cache" "$APP_DIR/etc"
  # Hook: weights served from a shared file system mounted on $dir (FSx), before any copy.
  if mount_weights "$dir"; then return 0; fi
  printf '%s' "$AWS_S3_CONFIG" >"$APP_DIR/etc/aws-s3.conf"
  case "$MODEL_SOURCE_KIND" in
    s3) s3_sync "$MODEL_SOURCE" "$dir" ;;
    huggingface)
      # The store's copy counts only once its marker, uploaded last, is there.
      if [[ -n "$CACHE_BUCKET" ]] && aws s3api head-object --bucket "$CACHE_BUCKET" --key "$CACHE_PREFIX/$MARKER" >/dev/null 2>&1; then
        log "weights from the model store s3://$CACHE_BUCKET/$CACHE_PREFIX/"
        s3_sync "s3://$CACHE_BUCKET/$CACHE_PREFIX/" "$dir"
      else
        download_from_hf "$dir"
        WEIGHTS_FROM=huggingface
      fi
      ;;
    *) die "unknown model source kind $MODEL_SOURCE_KIND" ;;
  esac
  if [[ ! -f "$dir/config.json" ]]; then
    die "no config.json in $dir after downloading $MODEL_SOURCE"
  fi
  [[ -n "$(ls -A "$dir")" ]] || die "nothing downloaded from $MODEL_SOURCE"
  touch "$dir/$MARKER"
}

# Rank 0 fills the model store after a Hugging Face download; failure only costs the next boot a download.
publish_weights() {
  [[ -n "$CACHE_BUCKET" && "$WEIGHTS_FROM" == huggingface && "$NODE_RANK" == 0 ]] || return 0
  local dir="$DATA_DIR/models/$MODEL_ID" dest="s3://$CACHE_BUCKET/$CACHE_PREFIX/"
  if s3_sync "$dir" "$dest" && aws s3 cp "$dir/$MARKER" "$dest$MARKER" --only-show-errors; then
    log "weights published to $dest"
  else
    log "WARNING: publishing the weights to $dest failed; the next boot downloads from Hugging Face"
  fi
}
