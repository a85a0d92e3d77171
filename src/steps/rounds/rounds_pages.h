/* rounds_pages: the province administrator's pages of the yearly selection
 * round, served by the admin program (cgi-bin/admin.c lists them in its
 * page table; every one is ROLE_PROVINCE only, so other roles get 403 from
 * the front line).  The rules and the SQL are in rounds.h.
 *
 *   GET  /admin/rounds           every round, newest year first
 *   GET  /admin/rounds/new       the form;  POST: 303 to the new round; 422
 *                                with the reasons and the input kept; 409 when
 *                                the year already has a round
 *   GET  /admin/round?id=N       one round: window, deadlines, quotas per
 *                                city, the evaluation-point scheme (404 unknown)
 *   GET  /admin/round/edit?id=N  the full form, or only the two deadlines once
 *                                applications exist;  POST: 303 to the round
 *                                (also when nothing changed); 422; 409 year
 *                                taken, or applications arrived meanwhile (the
 *                                deadlines form is shown); 404 unknown round
 */
#ifndef BIAOGAN_ROUNDS_PAGES_H
#define BIAOGAN_ROUNDS_PAGES_H

#include "core/app.h"

int rounds_page_list(struct ctx *c);
int rounds_page_new(struct ctx *c);
int rounds_page_view(struct ctx *c);
int rounds_page_edit(struct ctx *c);

#endif
