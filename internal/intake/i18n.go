package intake

import (
	"net/http"

	"golang.org/x/text/language"
)

// The public pages speak English and Chinese (Simplified).
var (
	languages       = []language.Tag{language.English, language.Chinese}
	languageMatcher = language.NewMatcher(languages)
)

// pickLanguage chooses the page language: ?lang=, then the form's language
// field, then Accept-Language; English when nothing matches.
func pickLanguage(r *http.Request, fromForm string) string {
	for _, l := range []string{r.URL.Query().Get("lang"), fromForm} {
		if l == "en" || l == "zh" {
			return l
		}
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "en"
	}
	_, i, conf := languageMatcher.Match(tags...)
	if conf == language.No {
		return "en"
	}
	if i == 1 {
		return "zh"
	}
	return "en"
}

// htmlLang is the page's lang attribute.
func htmlLang(l string) string {
	if l == "zh" {
		return "zh-Hans"
	}
	return "en"
}

// messages are the pages' texts by language and key.
var messages = map[string]map[string]string{
	"en": {
		"otherLanguage":             "中文",
		"otherLanguageCode":         "zh",
		"otherLanguageLang":         "zh-Hans",
		"formTitle":                 "Make a complaint",
		"formIntro":                 "Tell us what went wrong. We will acknowledge your complaint and tell you how to follow its progress. Fields marked “required” must be filled in.",
		"required":                  "required",
		"optional":                  "optional",
		"aboutYou":                  "About you",
		"name":                      "Your name",
		"email":                     "Email address",
		"emailHint":                 "We use it only to write to you about this complaint.",
		"phone":                     "Telephone number",
		"aboutComplaint":            "Your complaint",
		"summary":                   "Summary",
		"summaryHint":               "One line, for example “Rude reply at the front desk”.",
		"description":               "What happened?",
		"incidentDate":              "When did it happen?",
		"incidentDateHint":          "For example 2026-11-18.",
		"desiredOutcome":            "What would you like us to do?",
		"peopleInvolved":            "People or roles involved",
		"peopleInvolvedHint":        "One per line. They will not handle your complaint.",
		"representative":            "Are you complaining for someone else?",
		"relationship":              "Your relationship to them",
		"relationshipHint":          "For example parent, solicitor, advocate. Leave empty if you complain for yourself.",
		"consent":                   "They have agreed that I complain for them",
		"confidential":              "Keep my identity confidential during the investigation",
		"honeypot":                  "Leave this field empty",
		"submit":                    "Send complaint",
		"errorSummary":              "There is a problem",
		"err.required":              "this is required",
		"err.too-long":              "this is too long",
		"err.invalid":               "this is not valid",
		"err.control-characters":    "this contains characters that are not allowed",
		"err.duplicate":             "this is given twice",
		"err.too-many":              "too many entries",
		"err.honeypot":              "this field must be left empty",
		"err.unknown":               "this field is not known",
		"err.type":                  "this has the wrong form",
		"err.encoding":              "this is not valid text",
		"acceptedTitle":             "Complaint received",
		"acceptedIntro":             "Thank you. We have received your complaint and will acknowledge it.",
		"trackingToken":             "Your tracking code",
		"trackingTokenHint":         "Keep this code private: anyone who has it can see the progress of your complaint (but none of your details). It is not shown again.",
		"trackLink":                 "Follow the progress of your complaint",
		"trackTitle":                "Your complaint",
		"reference":                 "Reference",
		"referencePending":          "being assigned",
		"stage":                     "Stage",
		"phase":                     "Status",
		"nextDue":                   "Next step due by",
		"none":                      "none",
		"phase.Received":            "Received",
		"phase.Investigating":       "Being investigated",
		"phase.AwaitingComplainant": "Waiting for information from you",
		"phase.Responded":           "Responded",
		"phase.Closed":              "Closed",
		"phase.Withdrawn":           "Withdrawn",
		"errorTitle":                "Sorry, something went wrong",
		"error.429":                 "Too many complaints were sent from your connection. Please wait a few minutes and try again.",
		"error.503":                 "We cannot record complaints at the moment. Nothing was kept. Please try again later.",
		"error.404":                 "This page does not exist.",
		"error.other":               "Your complaint could not be accepted. Nothing was kept.",
		"backToForm":                "Back to the complaint form",
	},
	"zh": {
		"otherLanguage":             "English",
		"otherLanguageCode":         "en",
		"otherLanguageLang":         "en",
		"formTitle":                 "提交投诉",
		"formIntro":                 "请告诉我们发生了什么。我们会确认收到您的投诉，并告诉您如何查询处理进度。标有“必填”的项目必须填写。",
		"required":                  "必填",
		"optional":                  "选填",
		"aboutYou":                  "您的信息",
		"name":                      "姓名",
		"email":                     "电子邮箱",
		"emailHint":                 "仅用于就本投诉与您联系。",
		"phone":                     "电话号码",
		"aboutComplaint":            "投诉内容",
		"summary":                   "概要",
		"summaryHint":               "一句话，例如“前台答复态度粗鲁”。",
		"description":               "发生了什么？",
		"incidentDate":              "发生日期",
		"incidentDateHint":          "例如 2026-11-18。",
		"desiredOutcome":            "您希望我们怎样处理？",
		"peopleInvolved":            "涉及的人员或岗位",
		"peopleInvolvedHint":        "每行一个。他们不会处理您的投诉。",
		"representative":            "您是代他人投诉吗？",
		"relationship":              "您与当事人的关系",
		"relationshipHint":          "例如父母、律师、代理人。如为本人投诉请留空。",
		"consent":                   "当事人已同意由我代为投诉",
		"confidential":              "调查期间请对我的身份保密",
		"honeypot":                  "此栏请留空",
		"submit":                    "提交投诉",
		"errorSummary":              "填写有误",
		"err.required":              "此项必填",
		"err.too-long":              "内容过长",
		"err.invalid":               "格式不正确",
		"err.control-characters":    "包含不允许的字符",
		"err.duplicate":             "重复填写",
		"err.too-many":              "条目过多",
		"err.honeypot":              "此栏必须留空",
		"err.unknown":               "未知字段",
		"err.type":                  "格式不正确",
		"err.encoding":              "文字编码无效",
		"acceptedTitle":             "投诉已收到",
		"acceptedIntro":             "谢谢。我们已收到您的投诉，并将予以确认。",
		"trackingToken":             "您的查询码",
		"trackingTokenHint":         "请妥善保管此查询码：任何持有者都能查看投诉进度（但看不到您的个人信息）。此码不会再次显示。",
		"trackLink":                 "查询投诉进度",
		"trackTitle":                "您的投诉",
		"reference":                 "编号",
		"referencePending":          "正在分配",
		"stage":                     "阶段",
		"phase":                     "状态",
		"nextDue":                   "下一步截止时间",
		"none":                      "无",
		"phase.Received":            "已受理",
		"phase.Investigating":       "调查中",
		"phase.AwaitingComplainant": "等待您补充信息",
		"phase.Responded":           "已答复",
		"phase.Closed":              "已结案",
		"phase.Withdrawn":           "已撤回",
		"errorTitle":                "抱歉，出现了问题",
		"error.429":                 "您的网络提交次数过多。请等待几分钟后再试。",
		"error.503":                 "目前无法记录投诉，未保存任何内容。请稍后再试。",
		"error.404":                 "此页面不存在。",
		"error.other":               "无法受理您的投诉，未保存任何内容。",
		"backToForm":                "返回投诉表",
	},
}
