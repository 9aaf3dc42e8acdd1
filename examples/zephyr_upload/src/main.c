/*
 * Zephyr sample: sample the die temperature sensor for a while, then upload
 * the capture as a CSV file through fluidcloud-c (BSD sockets + mbedTLS).
 * The upload logic is in capture_upload.c (no Zephyr dependency); this file
 * holds the Zephyr parts. It cannot be built in this project's CI: no
 * Zephyr SDK is installed there. See README.md.
 */
#include <zephyr/kernel.h>
#include <zephyr/device.h>
#include <zephyr/drivers/sensor.h>
#include <zephyr/logging/log.h>

#include "fluidcloud/fc_posix.h"
#include "fluidcloud/fc_mbedtls.h"
#include "capture_upload.h"

LOG_MODULE_REGISTER(fc_sample, LOG_LEVEL_INF);

#define SAMPLES 600          /* one minute at 10 Hz */
#define SAMPLE_PERIOD_MS 100

static int32_t s_samples[SAMPLES];
static capture_job s_job;    /* static: holds the I/O buffer and tokens */
static fc_posix_conn s_tcp[FC_CONFIG_MAX_CONNECTIONS];
static fc_mbedtls_conn s_tls[FC_CONFIG_MAX_CONNECTIONS];
static fc_transport s_plain[FC_CONFIG_MAX_CONNECTIONS];
static fc_transport s_transports[FC_CONFIG_MAX_CONNECTIONS];

static const char s_ca_pem[] = {
#include "server_ca.pem.inc" /* generate_inc_file_for_target() in CMakeLists.txt */
    0x00                     /* mbedTLS parses PEM only with its NUL */
};

static size_t capture(const struct device *dev)
{
    size_t n;
    for (n = 0; n < SAMPLES; n++) {
        struct sensor_value v;
        if (sensor_sample_fetch(dev) != 0 ||
            sensor_channel_get(dev, SENSOR_CHAN_DIE_TEMP, &v) != 0) {
            break;
        }
        s_samples[n] = v.val1 * 1000 + v.val2 / 1000; /* milli-degrees */
        k_msleep(SAMPLE_PERIOD_MS);
    }
    return n;
}

/* TLS (port/mbedtls) over BSD sockets (port/posix), one per keep-alive
 * slot, sharing one configuration that trusts the server's CA. */
static int transports_init(void)
{
    static fc_mbedtls_config tls;
    if (fc_mbedtls_config_init(&tls) != FC_OK ||
        fc_mbedtls_config_add_ca(&tls, (const uint8_t *)s_ca_pem, sizeof s_ca_pem) != FC_OK) {
        return -1;
    }
    for (int i = 0; i < FC_CONFIG_MAX_CONNECTIONS; i++) {
        fc_posix_transport_init(&s_tcp[i], &s_plain[i]);
        fc_mbedtls_conn_init(&s_tls[i], &tls, &s_plain[i], &s_transports[i]);
    }
    return 0;
}

int main(void)
{
    const struct device *dev = DEVICE_DT_GET(DT_ALIAS(die_temp0));
    if (!device_is_ready(dev)) {
        LOG_ERR("die temperature sensor not ready");
        return 0;
    }
    if (transports_init() != 0) {
        LOG_ERR("TLS set-up failed (server_ca.pem)");
        return 0;
    }
    size_t n = capture(dev);
    capture_cfg cfg = {
        .base_url = CONFIG_SAMPLE_FC_BASE_URL,
        .api_key = CONFIG_SAMPLE_FC_API_KEY,
        .transports = s_transports,
        .transport_count = FC_CONFIG_MAX_CONNECTIONS,
        .system = fc_posix_system(),
    };
    fc_err r = capture_upload_start(&s_job, &cfg, s_samples, n, "capture.csv");
    while (r == FC_AGAIN) {
        fc_wait w;
        fc_client_wait(&s_job.client, &w);
        fc_posix_wait_fn(NULL, &w); /* zsock_poll() on the socket, or sleep */
        r = capture_upload_poll(&s_job);
    }
    if (r == FC_OK) {
        LOG_INF("uploaded %u samples as file %s", (unsigned)n, capture_upload_file_id(&s_job));
    } else {
        LOG_ERR("upload failed: %s", fc_err_str(r));
    }
    return 0;
}
