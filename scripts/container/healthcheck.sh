#!/bin/bash
# The image's HEALTHCHECK: GET /__admin/health from the mock inside the container, over bash's
# /dev/tcp (the image has no curl or wget). Healthy on 200; without PBXMOCK_ADMIN_KEY the mock
# generated its own key, and its 401 still shows it answers. PBXMOCK_HEALTH_PORT when the mock
# was started with another --port (a mock serving HTTPS, --tls-cert, is not probed).
port=${PBXMOCK_HEALTH_PORT:-8887}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nX-Admin-Key: %s\r\nConnection: close\r\n\r\n' \
  "$port" "${PBXMOCK_ADMIN_KEY:-}" >&3
read -r -t 3 protocol status _ <&3 || exit 1
[[ $protocol == HTTP/1.* && ($status == 200 || (-z ${PBXMOCK_ADMIN_KEY:-} && $status == 401)) ]]
