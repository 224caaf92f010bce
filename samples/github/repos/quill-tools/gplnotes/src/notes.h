#ifndef NOTES_H
#define NOTES_H

int notes_append(const char *path, const char *line);

#endif
