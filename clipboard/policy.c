/* Clipboard policy parser and decision (see policy.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

struct clip_rule {
    char source[CLIP_QUBE_NAME_MAX + 1]; /* name or "*" */
    char target[CLIP_QUBE_NAME_MAX + 1];
    enum clip_decision decision;
    unsigned line;
};

struct clip_policy {
    struct clip_rule *rules;
    size_t count;
};

/* Split one line (no newline, NUL-terminated copy) into at most 4 words. */
static int split_words(char *line, char *words[4])
{
    int n = 0;
    char *save = NULL;
    for (char *w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
        if (n == 4)
            return 5;
        words[n++] = w;
    }
    return n;
}

static bool pattern_valid(const char *w)
{
    return !strcmp(w, "*") || fen_qube_name_valid(w);
}

static int parse_line(struct clip_policy *p, char *line, unsigned lineno, char *err,
                      size_t err_size)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *w[4];
    int n = split_words(line, w);
    if (n == 0)
        return 0;
    if (n != 3) {
        snprintf(err, err_size, "line %u: expected 'SOURCE TARGET allow|deny'", lineno);
        return -1;
    }
    if (!pattern_valid(w[0]) || !pattern_valid(w[1])) {
        snprintf(err, err_size, "line %u: '%.40s' is not a qube name or '*'", lineno,
                 pattern_valid(w[0]) ? w[1] : w[0]);
        return -1;
    }
    enum clip_decision d;
    if (!strcmp(w[2], "allow"))
        d = CLIP_ALLOW;
    else if (!strcmp(w[2], "deny"))
        d = CLIP_DENY;
    else {
        snprintf(err, err_size, "line %u: action '%.20s' is not allow or deny", lineno, w[2]);
        return -1;
    }
    if (p->count == CLIP_POLICY_MAX_RULES) {
        snprintf(err, err_size, "line %u: more than %d rules", lineno, CLIP_POLICY_MAX_RULES);
        return -1;
    }
    struct clip_rule *r = &p->rules[p->count++];
    snprintf(r->source, sizeof r->source, "%s", w[0]);
    snprintf(r->target, sizeof r->target, "%s", w[1]);
    r->decision = d;
    r->line = lineno;
    return 0;
}

struct clip_policy *clip_policy_parse(const char *text, size_t len, char *err, size_t err_size)
{
    struct clip_policy *p = calloc(1, sizeof *p);
    char line[256];
    unsigned lineno = 0;
    size_t pos = 0;

    if (err_size)
        err[0] = '\0';
    if (!p || !(p->rules = calloc(CLIP_POLICY_MAX_RULES, sizeof *p->rules))) {
        snprintf(err, err_size, "out of memory");
        clip_policy_destroy(p);
        return NULL;
    }
    while (pos < len) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1 : 0);
        lineno++;
        if (memchr(start, '\0', n)) {
            snprintf(err, err_size, "line %u: contains a NUL byte", lineno);
            goto fail;
        }
        if (n >= sizeof line) {
            snprintf(err, err_size, "line %u: longer than %zu bytes", lineno, sizeof line - 1);
            goto fail;
        }
        memcpy(line, start, n);
        line[n] = '\0';
        if (parse_line(p, line, lineno, err, err_size) < 0)
            goto fail;
    }
    return p;
fail:
    clip_policy_destroy(p);
    return NULL;
}

void clip_policy_destroy(struct clip_policy *policy)
{
    if (!policy)
        return;
    free(policy->rules);
    free(policy);
}

static bool matches(const char *pattern, const char *name)
{
    return !strcmp(pattern, "*") || !strcmp(pattern, name);
}

enum clip_decision clip_policy_decide(const struct clip_policy *policy, const char *source,
                                      const char *target, unsigned *rule_line)
{
    if (rule_line)
        *rule_line = 0;
    if (!policy)
        return CLIP_ALLOW;
    for (size_t i = 0; i < policy->count; i++) {
        const struct clip_rule *r = &policy->rules[i];
        if (matches(r->source, source) && matches(r->target, target)) {
            if (rule_line)
                *rule_line = r->line;
            return r->decision;
        }
    }
    return CLIP_ALLOW;
}

size_t clip_policy_rule_count(const struct clip_policy *policy)
{
    return policy ? policy->count : 0;
}
