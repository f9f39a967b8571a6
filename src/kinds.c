/* kinds.c: names and defaults of severities and change kinds, from kinds.h's lists. */
#include "config.h"
#include "kinds.h"

#include <strings.h>

static const char *const severity_names[] = {
#define SM_SEV_NAME(e, name, tag) [e] = name,
    SM_SEVERITIES(SM_SEV_NAME)
#undef SM_SEV_NAME
};

static const char *const severity_tags[] = {
#define SM_SEV_TAG(e, name, tag) [e] = tag,
    SM_SEVERITIES(SM_SEV_TAG)
#undef SM_SEV_TAG
};

static const struct {
    const char *name;
    sm_severity severity;
    bool whole;
} kinds[] = {
#define SM_KIND_ROW(e, name, sev, whole) [e] = { name, sev, whole },
    SM_CHANGE_KINDS(SM_KIND_ROW)
#undef SM_KIND_ROW
};

const char *severity_name(sm_severity s)
{
    return s < SEV_COUNT ? severity_names[s] : "unknown";
}

const char *severity_tag(sm_severity s)
{
    return s < SEV_COUNT ? severity_tags[s] : "UNKNOWN";
}

int severity_parse(const char *name)
{
    for (int i = 0; i < SEV_COUNT; i++)
        if (strcasecmp(severity_names[i], name) == 0)
            return i;
    return -1;
}

const char *change_kind_name(sm_change_kind k)
{
    return k < CHANGE_KIND_COUNT ? kinds[k].name : "unknown";
}

int change_kind_parse(const char *name)
{
    for (int i = 0; i < CHANGE_KIND_COUNT; i++)
        if (strcasecmp(kinds[i].name, name) == 0)
            return i;
    return -1;
}

sm_severity change_kind_default_severity(sm_change_kind k)
{
    return kinds[k].severity;
}

bool change_kind_is_whole_object(sm_change_kind k)
{
    return kinds[k].whole;
}

bool change_kind_is_enum(sm_change_kind k)
{
    switch (k) {
    case CHANGE_ENUM_ADDED: case CHANGE_ENUM_REMOVED: case CHANGE_ENUM_RENAMED:
    case CHANGE_ENUM_VALUE_ADDED: case CHANGE_ENUM_VALUE_REMOVED:
    case CHANGE_ENUM_VALUE_RENAMED: case CHANGE_ENUM_VALUES_REORDERED:
        return true;
    default:
        return false;
    }
}
