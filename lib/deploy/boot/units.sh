# Shared systemd units (lib/deploy/boot/README.md): the engine's service and a once-a-minute timer
# (the AWS watchdog, the Azure health report). Blank lines are dropped when rendering, so section
# headers follow each other directly.

# write_engine_unit: the engine service. engine-env runs before every start (key, runtime
# variables), run-engine execs the container; systemd restarts it 30 s after a failure. The hook
# engine_unit_extra (the cloud's main fragment) prints extra lines for its [Unit] section.
write_engine_unit() {
  local docker_bin
  docker_bin=$(command -v docker)
  install -d -m 0755 "$UNIT_DIR"
  {
    cat <<EOF
[Unit]
Description=deepseek-iac engine: $MODEL_ID rank $NODE_RANK of $NODES
Wants=network-online.target
After=network-online.target docker.service
Requires=docker.service
EOF
    engine_unit_extra
    cat <<EOF
[Service]
Type=simple
Environment=DEEPSEEK_IAC_ROOT=$ROOT
RuntimeDirectory=deepseek-iac
RuntimeDirectoryMode=0700
ExecStartPre=-$docker_bin rm -f $CONTAINER
ExecStartPre=$BIN engine-env
ExecStart=$BIN run-engine
ExecStop=$docker_bin stop --time 60 $CONTAINER
Restart=on-failure
RestartSec=30
TimeoutStartSec=infinity
TimeoutStopSec=120
[Install]
WantedBy=multi-user.target
EOF
  } >"$UNIT_DIR/$UNIT.service"
}

# write_minute_timer NAME SUBCOMMAND DESCRIPTION: a oneshot service running `node.sh SUBCOMMAND`
# and its timer, every minute from a minute after boot. DESCRIPTION is "<what>: <details>".
write_minute_timer() {
  cat >"$UNIT_DIR/$1.service" <<EOF
[Unit]
Description=deepseek-iac $3
[Service]
Type=oneshot
Environment=DEEPSEEK_IAC_ROOT=$ROOT
ExecStart=$BIN $2
EOF
  cat >"$UNIT_DIR/$1.timer" <<EOF
[Unit]
Description=deepseek-iac ${3%%:*} every minute
[Timer]
OnActiveSec=60
OnUnitActiveSec=60
[Install]
WantedBy=timers.target
EOF
}
