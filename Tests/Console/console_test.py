#!/usr/bin/env python3
"""The web console in a real browser (run by `make test` after `swift test`).

A clerk logs in to Cockpit, sees a camera dock and its clips appear live, plays and seeks one,
annotates it, checks a device out and another in, registers an access request, verifies the
audit chain and makes a report; a viewer does not see the clerk's buttons and, when one is forced
visible, the daemon refuses the call (in Chinese, audited); an approver who is the requester is
refused the approval. A screenshot of every page is written (Chinese UI) for the README.

Usage: console_test.py --bin .build/debug [--screenshots DIR]
"""

import argparse
import datetime
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import session  # noqa: E402
from camera import camera_tree, fat32_image  # noqa: E402
from station import REPO, Station  # noqa: E402

BADGE, SERIAL, BADGE2, SERIAL2, CASE = "010203", "A7K2931", "010204", "B8M4402", "A-2026-118"


def station_time(moment):
    return moment.astimezone(datetime.timezone(datetime.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print(f"ok - {what}")


def seed(s):
    """The ledger and a case as root sets them up before the shift: two officers, two devices,
    one device checked out since yesterday (its clips are matched to the officer)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    s.ctl("officers", "add", BADGE, "--name", "张三", "--unit", "一中队")
    s.ctl("officers", "add", BADGE2, "--name", "李四", "--unit", "一中队")
    s.ctl("devices", "add", SERIAL, "--brand", "海康威视", "--model", "DSJ-K1", "--keeper", BADGE)
    s.ctl("devices", "add", SERIAL2, "--brand", "华德安", "--model", "DSJ-V9", "--keeper", BADGE2)
    s.ctl("devices", "checkout", SERIAL, "--officer", BADGE, "--at", station_time(now - datetime.timedelta(hours=20)))
    # Overdue work for the deadlines page: a camera out for three days and never docked.
    s.ctl("officers", "add", "010205", "--name", "王五", "--unit", "二中队")
    s.ctl("devices", "add", "C9P5513", "--brand", "海康威视", "--model", "DSJ-K1", "--keeper", "010205")
    s.ctl("devices", "checkout", "C9P5513", "--officer", "010205", "--at", station_time(now - datetime.timedelta(days=3)))
    s.ctl("cases", "add", CASE, "--title", "某某寻衅滋事案", "--handler", BADGE)
    tree = s.dir / "camera"
    camera_tree(tree, BADGE, SERIAL, now - datetime.timedelta(hours=3), [(20, "video"), (8, "important"), (0, "photo"), (6, "video")])
    image = s.dir / "camera.img"
    fat32_image(tree, image)
    return image


def clerk_sees_docking_and_clips(s, b, image, shots):
    check("概览" in b.text("#nav") and "录像" in b.text("#nav"), "the clerk sees the console in Chinese")
    b.wait_text("#docks", "暂无接入")
    s.dock(image)
    b.wait(lambda d: b.finds(".dock[data-state=complete]"), 90)
    b.wait(lambda d: len(b.finds("#newest-clips tr[data-sha]")) >= 4, 30)
    check(True, "a camera docks and its clips appear on the open overview, live")
    words = s.api_json("/v1/vocabulary")["zh"]
    state = b.text(".dock[data-state=complete] .dock-head .badge")
    check(state == words["dumpStates"]["complete"], f"the dock's state reads as the daemon words it on paper ({state})")
    b.screenshot(shots / "overview.png")

    b.go("/clips")
    b.wait(lambda d: len(b.finds("#clip-results tr[data-sha]")) >= 4)
    b.fill("#clip-filters", officer="999999")
    b.submit("#clip-filters")
    refusal = b.wait_text(".say.error", "999999")
    check("不在台账中" in refusal, f"a filter naming an unknown badge is refused as the daemon words it: {refusal}")
    b.fill("#clip-filters", officer=BADGE)
    b.submit("#clip-filters")
    b.wait(lambda d: len(b.finds("#clip-results tr[data-sha]")) >= 4)
    flags = [e.text for e in b.finds("#clip-results .badge.flag")]
    check(words["flags"]["important"] in flags, f"an IMP clip's flag reads {words['flags']['important']}, as on paper ({flags})")
    b.screenshot(shots / "clips.png")


def clerk_plays_and_annotates(s, b, shots):
    video = max((c for c in s.ctl_json("clips", "list") if c["mediaKind"] == "video"), key=lambda c: c.get("durationSeconds") or 0)
    b.go("/clip/" + video["sha256"], "clip")
    b.wait(lambda d: b.find("#player").get_attribute("data-state") in ("ready", "error"), 60)
    if b.find("#player").get_attribute("data-state") != "ready":
        print(b.text("#player-status"), b.console_log(), sep="\n")
    check(b.find("#player").get_attribute("data-state") == "ready", "the original plays in the page (MediaSource, ranges through the bridge)")
    target = round(0.9 * video["durationSeconds"], 2)
    seek = b.seek(target)
    check(abs(seek["mediaTime"] - target) < 0.5, f"seeking to 90 % shows the frame at {seek['mediaTime']:.2f} s (asked {target} s)")
    b.driver.execute_script("window.scrollTo(0, 0)")
    b.screenshot(shots / "clip.png")
    b.driver.execute_script("const v = document.getElementById('clip-video'); v.currentTime = 1; v.play()")
    b.wait(lambda d: d.execute_script("return document.getElementById('clip-video').currentTime") > 1.5, 30)
    check(True, "the clip plays on from a seek")
    b.driver.execute_script("document.getElementById('clip-video').pause()")

    b.fill("#annotate-form", caseNumber=CASE, category="治安案件", place="人民路", party="李某", description="现场处置")
    b.submit("#annotate-form")
    b.wait_text("#annotate-form .say", "已标注")
    b.wait_text("table", "现场处置")
    recorded = datetime.datetime.fromisoformat(video["recordedAt"].replace("Z", "+00:00"))
    b.find("#correct-details summary").click()
    b.fill("#correct-form", recordedAt=station_time(recorded - datetime.timedelta(minutes=2)), reason="记录仪时钟快两分钟")
    b.submit("#correct-form")
    b.wait_text("#correct-form .say", "已更正")
    b.wait_text("h1", "已人工更正")
    corrected = s.ctl_json("clips", "show", video["sha256"])
    check("corrected" in corrected["clip"]["flags"], "a clerk corrects a clip's recording time in the page (flag corrected, the camera's time kept)")
    b.find("#retain-details summary").click()
    b.fill("#retain-form", reason="obstruction", note="阻碍执法")
    b.submit("#retain-form")
    b.wait_text("#retain-form .say", "长期保存")
    return video


def clerk_keeps_the_ledger(s, b, shots):
    b.go("/ledger")
    b.wait(lambda d: b.finds(f"button[data-checkin='{SERIAL}']"), 10)
    officers = {e.get_attribute("data-badge") for e in b.finds("tr[data-badge]")}
    devices = {e.get_attribute("data-serial") for e in b.finds("tr[data-serial]")}
    check({BADGE, BADGE2, "010205"} <= officers and {SERIAL, SERIAL2, "C9P5513"} <= devices,
          f"the ledger shows every officer and device although the daemon answers two rows a page ({sorted(officers)}, {sorted(devices)})")
    b.find(f"input[data-checkout-badge='{SERIAL2}']").send_keys(BADGE2)
    b.find(f"button[data-checkout='{SERIAL2}']").click()
    b.wait_text("#ledger-outcome", "领用")
    b.wait(lambda d: b.finds(f"button[data-checkin='{SERIAL2}']"), 10)
    check(True, "the clerk checks a device out")
    b.find(f"button[data-checkin='{SERIAL}']").click()
    b.wait_text("#ledger-outcome", "已归还")
    b.wait(lambda d: b.finds(f"button[data-checkout='{SERIAL}']"), 10)
    check(True, "the clerk checks a device in")
    csv = s.dir / "bad-officers.csv"
    csv.write_text("警号,姓名,单位\n010205,王五,二中队\n12,,二中队\n", encoding="utf-8")
    b.find("#import-form input[type=file]").send_keys(str(csv))
    b.submit("#import-form")
    b.wait(lambda d: b.finds("#import-report tr"), 15)
    check("整个文件未导入" in b.text("#import-form .say") and "“姓名”为空" in b.text("#import-report"),
          "a CSV import is refused whole, each bad line listed with its reason in Chinese")
    b.screenshot(shots / "ledger.png")


def clerk_registers_audits_reports(s, b, video, shots):
    b.go("/deadlines")
    out = s.api_json("/v1/vocabulary")["zh"]["deadlineKinds"]["device-out"]
    check(out in b.text("#page") and "待确认长期保存" in b.text("#page"), f"overdue work ({out}) and the IMP clip wait on the deadlines page")
    b.screenshot(shots / "deadlines.png")
    b.go("/access")
    b.fill("#access-form", requesterName="王队长", requesterUnit="一中队", requesterKind="agency-staff", stationUser=s.users["approver"][0],
           action="view", clips=video["sha256"][:16], purpose="复核现场处置")
    b.submit("#access-form")
    b.wait_text("#access-form .say", "已登记")
    b.wait(lambda d: b.finds("tr[data-access]"), 10)
    b.go("/audit")
    b.find("#verify-audit").click()
    check("审计链完整" in b.wait_text("#audit-verdict", "审计链"), "the audit chain verifies from the console")
    b.screenshot(shots / "audit.png")
    b.go("/reports")
    b.submit("#compliance-form")
    b.wait(lambda d: b.find("#print-report").is_displayed(), 15)
    b.driver.switch_to.frame(b.find("#report-frame"))
    b.wait(lambda d: "审计" in d.find_element("tag name", "body").text, 15)
    b.driver.switch_to.default_content()
    check(True, "the compliance report is shown, ready to print")
    b.screenshot(shots / "reports.png")


def viewer_is_refused(b, video, shots):
    b.go("/clip/" + video["sha256"], "clip")
    check(not b.find(".clerk-actions").is_displayed(), "a viewer does not see the clerk's actions on a clip")
    b.go("/ledger")
    check(not any(x.is_displayed() for x in b.finds("button[data-checkin], button[data-checkout]")), "a viewer does not see check-out or check-in")
    b.go("/clip/" + video["sha256"], "clip")
    b.driver.execute_script("document.querySelector('.clerk-actions').hidden = false")
    b.fill("#annotate-form", category="治安案件", description="强行提交")
    b.submit("#annotate-form")
    refusal = b.wait_text("#annotate-form .say.error", "权限")
    check("没有台账操作（内勤）权限" in refusal, f"the daemon refuses the forced call, in Chinese: {refusal}")
    b.driver.execute_script("document.querySelector('#annotate-form').scrollIntoView()")
    b.screenshot(shots / "viewer-refused.png")


def approver_is_refused_own_request(b, shots, set_id):
    b.go("/access")
    b.find("button[data-approve]").click()
    refusal = b.wait_text("#access-outcome", "不得审批")
    check("申请人" in refusal, f"the requester may not approve their own request: {refusal}")
    b.screenshot(shots / "access.png")
    b.go("/discs/" + set_id, "discs")
    b.find("#disc-detail button[data-preview='A']").click()
    b.wait(lambda d: len(b.finds("#label-preview img")) == 2, 20)
    b.wait(lambda d: d.execute_script("return [...document.querySelectorAll('#label-preview img')].every(i => i.complete && i.naturalWidth > 0)"), 20)
    check(True, "the disc labels are previewed from the daemon's SVG")
    b.screenshot(shots / "discs.png")


def admin_confirms_label(b, set_id):
    b.go("/discs/" + set_id, "discs")
    b.find("#disc-detail button[data-confirm='A']").click()
    check("标签已确认" in b.wait_text("#discs-outcome", "标签"), "the admin confirms a verified copy's label from the console")


def burn_disc_set(s):
    """A disc set of the long-term clip, planned and burned (spool burner) by root, the admin."""
    s.ctl("discs", "plan", "--media", "cd", "--force")
    set_id = s.ctl_json("discs", "list")[0]["id"]
    s.ctl("discs", "burn", set_id, "--maker", "李四")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(c["state"] == "burning" for c in s.ctl_json("discs", "show", set_id)["copies"]):
        time.sleep(0.5)
    return set_id


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=str(REPO / ".build/debug"))
    parser.add_argument("--screenshots", default=str(REPO / ".build/console-screenshots"))
    args = parser.parse_args()
    shots = Path(args.screenshots)
    shots.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with Station(args.bin) as s:
        for role in ("clerk", "viewer", "approver", "admin"):
            s.add_user(role)
        s.start_daemon(clerks=["clerk"], approvers=["approver"], admins=["admin"])
        image = seed(s)
        s.start_cockpit()
        with session(s, "clerk") as b:
            clerk_sees_docking_and_clips(s, b, image, shots)
            video = clerk_plays_and_annotates(s, b, shots)
            clerk_keeps_the_ledger(s, b, shots)
            clerk_registers_audits_reports(s, b, video, shots)
        set_id = burn_disc_set(s)
        with session(s, "viewer") as b:
            viewer_is_refused(b, video, shots)
        with session(s, "approver") as b:
            approver_is_refused_own_request(b, shots, set_id)
        with session(s, "admin") as b:
            admin_confirms_label(b, set_id)
        with session(s, "viewer", language="en-US") as b:
            check("Overview" in b.text("#nav") and "Clips" in b.text("#nav"), "the console is in English when the browser asks for English")
            english = s.api_json("/v1/vocabulary")["en"]
            check(f"({english['roles']['viewer']})" in b.text("#who"), f"the viewer's role in English from the daemon: {b.text('#who')}")
        viewer = s.users["viewer"][0]
        refused = s.ctl_json("audit", "show", "--action", "api.refused")
        check(any(viewer in r["actor"] and "annotate" in r["object"] for r in refused), "the viewer's forced call is an audit row")
        plays = s.ctl_json("audit", "show", "--action", "clip.play")
        check(any(s.users["clerk"][0] in r["actor"] for r in plays), "playing the clip is an audited look")
        fsck = s.ctl_json("fsck")
        check(fsck["consistent"] and not fsck["changed"], "no byte of the store changed (fsck re-hashed every clip)")
    print(f"console test passed in {time.monotonic() - started:.0f} s; screenshots in {shots}")


if __name__ == "__main__":
    main()
