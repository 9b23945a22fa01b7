# Hook mount_weights DIR with FSx for Lustre (lib/deploy/boot/README.md): mounts the linked
# checkpoint fileset (the header's FSX: `<dns>@tcp:/<mountname>/model`, a Lustre subdirectory mount)
# on the model directory; if the store's marker has not been imported yet it unmounts, returns 1
# and the node copies the weights as without FSx. The Lustre client must be on the AMI; otherwise
# `apt-get` tries the kernel's `lustre-client-modules` package from the repositories the AMI has
# configured and the boot fails with a clear message when that fails too. Mount options and the
# fstab line follow the FSx guide
# (https://docs.aws.amazon.com/fsx/latest/LustreGuide/mount-fs-auto-mount-onreboot.html: `relatime,flock`
# and `_netdev,x-systemd.automount` in fstab; from memory of that page, not re-read here: unconfirmed).
mount_weights() {
  command -v mount.lustre >/dev/null || apt-get install -y -q "lustre-client-modules-$(uname -r)" || die "no Lustre client on this AMI (lustre-client-modules-$(uname -r))"
  mount -t lustre -o relatime,flock "$FSX" "$1"
  if [[ -f "$1/$MARKER" ]]; then
    printf '%s %s lustre relatime,flock,_netdev,x-systemd.automount 0 0\n' "$FSX" "${1#"$ROOT"}" >>"$FSTAB"
    log "weights from FSx $FSX"
    return 0
  fi
  umount "$1"
  return 1
}
