# Hook prepare_storage for instance-store NVMe (lib/deploy/boot/README.md): sets DATA_DIR.
#
# Nitro lists instance-store disks with the model "Amazon EC2 NVMe Instance Storage"
# (https://docs.aws.amazon.com/ebs/latest/userguide/nvme-ebs-volumes.html, confirmed); several are
# striped into RAID0. The Deep Learning AMIs mount instance-store NVMe at /opt/dlami/nvme themselves
# (release notes' `nvme_location: /opt/dlami/nvme`, https://docs.aws.amazon.com/dlami/latest/devguide/ ,
# confirmed); on such an AMI the script waits for that mount instead of assembling the disks (which
# would race it).
prepare_storage() {
  local i dev disks=() dlami="$ROOT/opt/dlami" md=/dev/md/deepseek-iac
  if [[ -d "$dlami" ]]; then
    for ((i = 0; i < WAIT_TRIES; i++)); do
      if mountpoint -q "$dlami/nvme"; then
        DATA_DIR="$dlami/nvme/deepseek-iac"
        mkdir -p "$DATA_DIR"
        return 0
      fi
      sleep "$POLL_SECONDS"
    done
    die "$dlami/nvme was not mounted by the Deep Learning AMI"
  fi
  mapfile -t disks < <(lsblk -dnpo NAME,MODEL | awk '/Instance Storage/ { print $1 }')
  ((${#disks[@]} > 0)) || die "no instance-store NVMe disk found"
  dev="${disks[0]}"
  if ((${#disks[@]} > 1)); then
    mdadm --create "$md" --run --level=0 --raid-devices="${#disks[@]}" "${disks[@]}"
    dev="$md"
  fi
  DATA_DIR="$ROOT/mnt/deepseek-iac"
  format_and_mount "$dev" "$DATA_DIR"
}
