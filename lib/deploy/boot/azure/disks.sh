# The Azure data disk and the local NVMe load cache (lib/deploy/boot/README.md).
#
# Facts relied on (docs/azure-facts.md §5):
# - Data disks appear as /dev/disk/azure/scsi1/lun<N> (udev rules of the Azure Linux images); on
#   NVMe-attached disk controllers as /dev/disk/azure/data/by-lun/<N> (azure-vm-utils rules, unconfirmed).
# - Local NVMe disks report the model "Microsoft NVMe Direct Disk"; the AMD and Azure DeepSeek
#   guides for ND MI300X v5 assemble them as RAID0 under /mnt/resource_nvme (reused when mounted).
#   The NVMe is wiped when the VM is deallocated, so it is re-assembled and re-filled when empty.
# ---- disks ----
CACHE_DIR=''

# The data disk by LUN: SCSI-attached (ND v5) under scsi1/, NVMe-attached (newer sizes) under data/by-lun/.
prepare_data_disk() {
  local i dev candidate scsi="$ROOT/dev/disk/azure/scsi1/lun$DATA_DISK_LUN" by_lun="$ROOT/dev/disk/azure/data/by-lun/$DATA_DISK_LUN"
  for ((i = 0; i < WAIT_TRIES; i++)); do
    for candidate in "$scsi" "$by_lun"; do
      if [[ -e "$candidate" ]]; then dev="$candidate"; break 2; fi
    done
    sleep "$POLL_SECONDS"
  done
  [[ -n "${dev:-}" ]] || die "no data disk at LUN $DATA_DISK_LUN ($scsi or $by_lun)"
  format_and_mount "$dev" "$DATA_DIR" deepseek-data
}

nvme_devices() {
  lsblk -dn -o NAME,MODEL | awk '/NVMe Direct Disk/ { print "/dev/" $1 }'
}

# The load cache: the image's /mnt/resource_nvme when mounted, else the local NVMe disks (RAID0
# when several). Empty CACHE_DIR = no local NVMe; the engine then reads from the data disk.
prepare_cache() {
  local devs=() resource="$ROOT/mnt/resource_nvme" nvme_dir="$ROOT/mnt/deepseek-nvme" md=/dev/md/deepseek-cache
  if mountpoint -q "$resource"; then
    CACHE_DIR="$resource/deepseek-iac"
    mkdir -p "$CACHE_DIR"
    return 0
  fi
  mapfile -t devs < <(nvme_devices)
  case ${#devs[@]} in
    0) CACHE_DIR=''; log "no local NVMe: the engine reads the weights from the data disk"; return 0 ;;
    1) format_and_mount "${devs[0]}" "$nvme_dir" deepseek-nvme ;;
    *)
      if [[ ! -e "$md" ]]; then mdadm --create "$md" --run --level=0 --raid-devices="${#devs[@]}" "${devs[@]}"; fi
      format_and_mount "$md" "$nvme_dir" deepseek-nvme
      ;;
  esac
  CACHE_DIR="$nvme_dir"
}

# Copy the weights from the data disk to the cache unless it holds them; echo the models directory to mount.
stage_weights() {
  local src="$DATA_DIR/models/$MODEL_ID" dst
  [[ -f "$src/$MARKER" ]] || die "weights are not on the data disk ($src)"
  if [[ "$NVME_CACHE" != 1 ]] || ! prepare_cache >&2 || [[ -z "$CACHE_DIR" ]]; then
    printf '%s\n' "$DATA_DIR/models"
    return 0
  fi
  dst="$CACHE_DIR/models/$MODEL_ID"
  if [[ ! -f "$dst/$MARKER" ]]; then
    log "staging the weights on local NVMe ($CACHE_DIR)"
    rm -rf "$dst"
    mkdir -p "$dst"
    cp -a "$src/." "$dst/"
  fi
  printf '%s\n' "$CACHE_DIR/models"
}
