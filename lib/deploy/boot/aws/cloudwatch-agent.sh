# The CloudWatch agent (lib/deploy/boot/README.md), started with its configuration from an SSM
# parameter (CW_AGENT_CONFIG; empty = no agent), installed from AWS's regional package bucket if
# the AMI lacks it. A failure is logged by the caller, never fatal.
CW_CTL="${DEEPSEEK_IAC_CW_CTL:-$CW_AGENT_CTL}"

start_agent() {
  [[ -n "$CW_AGENT_CONFIG" ]] || return 0
  if [[ ! -x "$CW_CTL" ]]; then
    local deb="$APP_DIR/cwagent.deb"
    mkdir -p "$APP_DIR"
    curl -sSf --retry 5 -o "$deb" "https://amazoncloudwatch-agent-$REGION.s3.$REGION.amazonaws.com/ubuntu/amd64/latest/amazon-cloudwatch-agent.deb" || return 1
    dpkg -i -E "$deb" || return 1
  fi
  "$CW_CTL" -a fetch-config -m ec2 -s -c "ssm:$CW_AGENT_CONFIG"
}
