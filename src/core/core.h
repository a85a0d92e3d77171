/* core: what every FastCGI program and the operator tool share.
 *
 * Owns the request path (request, multipart, mpform, form, response, html,
 * app), the database connection (db, migrate), who is asking (session,
 * presession, once, auth, password), the audit chain (audit), configuration
 * and logging (config, log), and the small utilities (buf, utf8,
 * civil_date).  It knows nothing of the selection measures.
 *
 * Include rule (scripts/check-layers): a core file includes only core
 * headers and system or package headers.  Nothing here includes rules/ or
 * steps/.
 *
 * This header declares nothing: it is the folder's table of contents.
 */
#ifndef BIAOGAN_CORE_H
#define BIAOGAN_CORE_H
#endif
