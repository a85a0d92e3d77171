#include "steps/draw/draw_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db.h"
#include "steps/draw/draw.h"
#include "core/banned.h"

static const char USAGE[] =
	"用法：\n"
	"  biaogan-admin lottery verify SESSION   依据记录重新计算该评审会的每一次抽取和补抽，逐项核对\n"
	"  biaogan-admin lottery export SESSION   以 JSON 输出抽取记录（格式见 docs/lottery.md；\n"
	"                                         种子公开前 seed 为 null）\n"
	"退出码：0 成功（verify：全部一致）；1 数据库或系统错误；2 参数错误；\n"
	"        4 没有该评审会或尚无抽取记录；5 verify：有不一致之处（记录被改动）。\n";

int draw_cli_lottery(int argc, char **argv)
{
	char *end = NULL;
	long long id = argc == 3 ? strtoll(argv[2], &end, 10) : 0;
	bool verify = argc == 3 && !strcmp(argv[1], "verify");
	json_object *rec = NULL;
	int rc;

	if (argc != 3 || (!verify && strcmp(argv[1], "export")) || !end || *end || id < 1) {
		fputs(USAGE, stderr);
		return 2;
	}
	if (db_ensure() != DB_OK) {
		fputs("biaogan-admin: 无法连接数据库\n", stderr);
		return 1;
	}
	if ((rc = draw_record(id, verify, &rec)) != DB_OK) {
		fputs("biaogan-admin: 读取抽取记录失败\n", stderr);
		return 1;
	}
	if (!rec) {
		fprintf(stderr, "biaogan-admin: 评审会 %lld 不存在，或尚未固定候选名单（没有抽取记录）\n", id);
		return 4;
	}
	if (verify) {
		struct buf report = BUF_INIT;
		bool ok;
		draw_verify_record(rec, &report, &ok);
		printf("评审会 %lld 抽取记录复核：\n%s%s\n", id, report.data ? report.data : "",
		       ok ? "结论：全部一致" : "结论：有不一致之处，记录可能被改动");
		buf_release(&report);
		json_object_put(rec);
		return ok ? 0 : 5;
	}
	draw_record_strip(rec);
	puts(json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PRETTY |
							 JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(rec);
	return 0;
}
