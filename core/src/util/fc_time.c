/* SPDX-License-Identifier: MIT */
/* fc_time.c - calendar arithmetic for the timestamps of JSON bodies and of
 * HTTP headers. */
#include "fc_util.h"

/* After H. Hinnant's days_from_civil: years start in March so the leap day
 * is last. 400 years are added to keep every division non-negative (146097
 * days each). Month 13 is January of the next year, which month lengths
 * use. */
int32_t fc_days_from_civil(int y, int m, int d)
{
    uint32_t yy = (uint32_t)(y + 400 - (m <= 2));
    uint32_t mp = (uint32_t)(m > 2 ? m - 3 : m + 9);

    return (int32_t)(yy * 365u + yy / 4u - yy / 100u + yy / 400u + (153u * mp + 2u) / 5u) + d - 1 -
           719468 - 146097;
}
