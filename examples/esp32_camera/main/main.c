/*
 * ESP32 camera example: capture one JPEG frame with the esp32-camera
 * driver, upload it with fc_files_upload and print the share link.
 *
 * This file holds the ESP-IDF-specific parts (camera, Wi-Fi, transports);
 * the upload itself is in upload_frame.c, which has no SDK dependency.
 * It cannot be built here: no ESP-IDF SDK is installed in this project's
 * CI. See README.md.
 */
#include <stdio.h>

#include "esp_camera.h"
#include "esp_log.h"
#include "nvs_flash.h"
#include "esp_netif.h"
#include "esp_event.h"
#include "protocol_examples_common.h" /* example_connect(): Wi-Fi from menuconfig */

#include "fluidcloud/fc_posix.h"
#include "fluidcloud/fc_mbedtls.h"
#include "upload_frame.h"

static const char *TAG = "fc_camera";

/* Static, not on the task stack: the job holds the I/O buffer and tokens. */
static upload_frame_job s_job;
static fc_posix_conn s_tcp[FC_CONFIG_MAX_CONNECTIONS];
static fc_mbedtls_conn s_tls[FC_CONFIG_MAX_CONNECTIONS];
static fc_transport s_plain[FC_CONFIG_MAX_CONNECTIONS];
static fc_transport s_transports[FC_CONFIG_MAX_CONNECTIONS];

/* EMBED_TXTFILES appends the NUL that mbedTLS needs to parse PEM. */
extern const uint8_t server_ca_pem_start[] asm("_binary_server_ca_pem_start");
extern const uint8_t server_ca_pem_end[] asm("_binary_server_ca_pem_end");

static esp_err_t camera_init(void)
{
    camera_config_t cfg = {
        /* Pins of the AI-Thinker ESP32-CAM; change for your board. */
        .pin_pwdn = 32, .pin_reset = -1, .pin_xclk = 0,
        .pin_sccb_sda = 26, .pin_sccb_scl = 27,
        .pin_d7 = 35, .pin_d6 = 34, .pin_d5 = 39, .pin_d4 = 36,
        .pin_d3 = 21, .pin_d2 = 19, .pin_d1 = 18, .pin_d0 = 5,
        .pin_vsync = 25, .pin_href = 23, .pin_pclk = 22,
        .xclk_freq_hz = 20000000,
        .ledc_timer = LEDC_TIMER_0, .ledc_channel = LEDC_CHANNEL_0,
        .pixel_format = PIXFORMAT_JPEG, .frame_size = FRAMESIZE_VGA,
        .jpeg_quality = 12, .fb_count = 1,
        .fb_location = CAMERA_FB_IN_PSRAM, .grab_mode = CAMERA_GRAB_WHEN_EMPTY,
    };
    return esp_camera_init(&cfg);
}

/* TLS (port/mbedtls) over BSD sockets (port/posix), one per keep-alive
 * slot, sharing one configuration that trusts the server's CA. */
static int transports_init(void)
{
    static fc_mbedtls_config tls;
    if (fc_mbedtls_config_init(&tls) != FC_OK ||
        fc_mbedtls_config_add_ca(&tls, server_ca_pem_start,
                                 (size_t)(server_ca_pem_end - server_ca_pem_start)) != FC_OK) {
        return -1;
    }
    for (int i = 0; i < FC_CONFIG_MAX_CONNECTIONS; i++) {
        fc_posix_transport_init(&s_tcp[i], &s_plain[i]);
        fc_mbedtls_conn_init(&s_tls[i], &tls, &s_plain[i], &s_transports[i]);
    }
    return 0;
}

static void upload_one_frame(void)
{
    camera_fb_t *fb = esp_camera_fb_get();
    if (fb == NULL) {
        ESP_LOGE(TAG, "no frame from the camera");
        return;
    }
    upload_frame_cfg cfg = {
        .base_url = CONFIG_EXAMPLE_FC_BASE_URL,
        .api_key = CONFIG_EXAMPLE_FC_API_KEY,
        .transports = s_transports,
        .transport_count = FC_CONFIG_MAX_CONNECTIONS,
        .system = fc_posix_system(),
    };
    fc_err r = upload_frame_start(&s_job, &cfg, fb->buf, fb->len, "frame.jpg");
    while (r == FC_AGAIN) {
        fc_wait w;
        fc_client_wait(&s_job.client, &w);
        fc_posix_wait_fn(NULL, &w); /* select() on the socket, or sleep */
        r = upload_frame_poll(&s_job);
    }
    esp_camera_fb_return(fb); /* only now: the upload read from fb->buf */
    if (r == FC_OK) {
        printf("uploaded: %s\n", upload_frame_link(&s_job));
    } else {
        const fc_error_info *e = fc_client_error(&s_job.client);
        ESP_LOGE(TAG, "upload failed: %s (HTTP %d, %s)", fc_err_str(r), e->http_status, e->detail);
    }
}

void app_main(void)
{
    ESP_ERROR_CHECK(nvs_flash_init());
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    ESP_ERROR_CHECK(example_connect());
    ESP_ERROR_CHECK(camera_init());
    if (transports_init() != 0) {
        ESP_LOGE(TAG, "TLS set-up failed (main/server_ca.pem)");
        return;
    }
    upload_one_frame();
}
