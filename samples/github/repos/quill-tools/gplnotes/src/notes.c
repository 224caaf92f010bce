#include <stdio.h>
#include <time.h>
#include "notes.h"

/* Appends "YYYY-MM-DD line" to the file at path; returns 0 on success. */
int notes_append(const char *path, const char *line)
{
    char date[11];
    time_t now = time(NULL);
    FILE *out = fopen(path, "a");
    if (out == NULL)
        return -1;
    strftime(date, sizeof date, "%Y-%m-%d", localtime(&now));
    fprintf(out, "%s %s\n", date, line);
    return fclose(out);
}
