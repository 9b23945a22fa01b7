# The API front on the serving rank (lib/deploy/api-front.ts; lib/deploy/boot/README.md): nginx in
# front of the engine, a unit bound to the engine's. Its config and key template come from the
# header (FRONT_CONF, FRONT_KEY_TEMPLATE), their paths in the image from FRONT_CONF_PATH and
# FRONT_KEY_PATH. The key comes from the engine's root-only env file (engine-env), never from argv
# or this script.
write_front_unit() {
  local docker_bin
  docker_bin=$(command -v docker)
  install -d -m 0755 "$APP_DIR/etc"
  printf '%s' "$FRONT_CONF" >"$APP_DIR/etc/front.conf"
  printf '%s' "$FRONT_KEY_TEMPLATE" >"$APP_DIR/etc/key.template"
  cat >"$UNIT_DIR/$FRONT.service" <<EOF
[Unit]
BindsTo=$UNIT.service
After=$UNIT.service
[Service]
ExecStartPre=-$docker_bin rm -f $FRONT
ExecStart=$docker_bin run --rm --name $FRONT --network host --cgroup-parent $ENGINE_SLICE --env-file $RUN_DIR/secret.env -v $APP_DIR/etc/front.conf:$FRONT_CONF_PATH:ro -v $APP_DIR/etc/key.template:$FRONT_KEY_PATH:ro $FRONT_IMAGE
ExecStop=$docker_bin stop $FRONT
Restart=on-failure
[Install]
WantedBy=$UNIT.service
EOF
}

# Hook of write_secret_env: the front compares the whole Authorization header; an RFC 6750
# b64token keeps its config valid.
api_key_check() {
  [[ "$1" =~ ^[A-Za-z0-9._~+/-]+=*$ ]] || die "the API key may hold only A-Z a-z 0-9 - . _ ~ + / and trailing ="
}
