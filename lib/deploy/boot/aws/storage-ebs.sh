# Hook prepare_storage for an EBS data volume (lib/deploy/boot/README.md): sets DATA_DIR.
#
# Nitro exposes EBS volumes as NVMe devices whose model is "Amazon Elastic Block Store"; device
# names do not follow the block-device mapping
# (https://docs.aws.amazon.com/ebs/latest/userguide/nvme-ebs-volumes.html, confirmed), so the data
# volume is found by model and exact size (DATA_VOLUME_BYTES, from the plan).
prepare_storage() {
  local dev='' i
  for ((i = 0; i < WAIT_TRIES; i++)); do
    dev=$(lsblk -dbnpo NAME,SIZE,MODEL | awk -v size="$DATA_VOLUME_BYTES" '$2 == size && /Elastic Block Store/ { print $1; exit }')
    [[ -z "$dev" ]] || break
    sleep "$POLL_SECONDS"
  done
  [[ -n "$dev" ]] || die "no EBS volume of $DATA_VOLUME_BYTES bytes is attached"
  DATA_DIR="$ROOT/mnt/deepseek-iac"
  format_and_mount "$dev" "$DATA_DIR"
}
