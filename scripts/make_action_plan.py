"""Writes inputs/action_plan.xlsx, the example JTAI improvement action plan, as partners keep one.

    python scripts/make_action_plan.py inputs/action_plan.xlsx

Officers maintain the real workbook in Excel; this script records how the example was made. Statuses are
given per action below; Table 1 and every figure in the report are counted from the written workbook.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.table import Table, TableStyleInfo

THEMES = [
    (1, "Priority Action: Strategy Meetings"),
    (2, "Front Door & MASH"),
    (3, "Safeguarding Practice & Workforce Development"),
    (4, "Leadership & Management"),
    (5, "Voice of the Child"),
]

STATUS_KEY = [
    ("Green", "Action Complete", "Yes"),
    ("Amber", "Actions have commenced but not completed and require further time to embed", "Yes"),
    ("Yellow", "LSCB Executive Group approval to revise timescale", "Yes"),
    ("Not yet due", "The action's completion timescale has not yet been reached", "No"),
]

POLICE = "Durham Constabulary – Detective Superintendent, Safeguarding"
CS_MASH = "Children's Services – Strategic Manager, First Contact & MASH"
CS_PRACTICE = "Children's Services – Strategic Manager, Children in Need & Protection"
CS_QA = "Children's Services – Head of Quality Assurance"
CS_DIRECTOR = "Children's Services – Head of Children's Social Care"
CCG = "CCG – Designated Nurse, Safeguarding Children"
HEALTH = "County Durham & Darlington NHS Foundation Trust – Named Nurse, Safeguarding"
NPS = "NPS – Head of County Durham Cluster"
CRC = "CRC – Head of Operations, Durham"
YOS = "YOS – Youth Offending Service Manager"
LSCB = "LSCB – Business Manager"
LSCB_TRAINING = "LSCB – Training & Development Officer"
EDUCATION = "Education – Senior Manager, Education Safeguarding"
HARBOUR = "Harbour Domestic Abuse Service – Service Manager"
COMMUNITY_SAFETY = "Safe Durham Partnership – Domestic Abuse & Sexual Violence Co-ordinator"

# Each action: (text, lead, timescale as a partner entered it, status, progress update).
# Timescales are real Excel dates (datetime) or text such as "December 2018" or "30/11/2018".
ACTIONS = {
    1: [
        (
            "Ensure police attend every strategy meeting where domestic abuse is a feature, in person or by telephone.",
            POLICE,
            "October 2018",
            "Green",
            "Complete. Attendance audited for October and November 2018: police present at 100% of strategy meetings.",
        ),
        (
            "Agree a multi-agency standard for strategy meetings, including who attends, information shared and "
            "recording of decisions.",
            CS_PRACTICE,
            datetime(2018, 11, 30),
            "Amber",
            "Standard agreed by the LSCB Executive Group. Audit in February 2019 will test whether it is embedded.",
        ),
        (
            "Health professionals who know the family are invited to, and contribute to, every strategy meeting.",
            CCG,
            "December 2018",
            "Yellow",
            "Revised timescale of March 2019 approved by the LSCB Executive Group "
            "while GP invitation routes are agreed.",
        ),
        (
            "Quarterly multi-agency audit of strategy meetings reported to the LSCB Performance Sub-Group.",
            LSCB,
            "March 2019",
            "Not yet due",
            "First audit scheduled for February 2019.",
        ),
        (
            "Strategy meeting minutes record the voice of the child and the rationale for every decision.",
            CS_PRACTICE,
            datetime(2019, 3, 31),
            "Not yet due",
            "Minute template revised; roll-out in January 2019.",
        ),
        (
            "Probation services attend strategy meetings where a parent or carer is known to them.",
            NPS,
            "April 2019",
            "Not yet due",
            "Notification route from MASH to NPS and CRC being tested.",
        ),
        (
            "Review the timeliness of strategy meetings held out of hours with the Emergency Duty Team.",
            CS_DIRECTOR,
            "June 2019",
            "Not yet due",
            "Data collection started December 2018.",
        ),
    ],
    2: [
        (
            "Clear all outstanding police domestic abuse notifications awaiting MASH screening.",
            POLICE,
            datetime(2018, 9, 30),
            "Green",
            "Complete. No backlog since 14 September 2018; checked daily.",
        ),
        (
            "Introduce a daily domestic abuse triage meeting within the MASH.",
            CS_MASH,
            "September 2018",
            "Green",
            "Complete. Daily triage in place since 3 September 2018 with police, health and Harbour present.",
        ),
        (
            "Agree and publish thresholds for domestic abuse notifications that require a statutory response.",
            CS_MASH,
            "30/10/2018",
            "Green",
            "Complete. Thresholds agreed by the LSCB and published on its website.",
        ),
        (
            "Health practitioners in the MASH have access to GP and community health records.",
            CCG,
            datetime(2018, 10, 31),
            "Green",
            "Complete. Access agreed and in use from 15 October 2018.",
        ),
        (
            "Education safeguarding officer joins the MASH to share school information at screening.",
            EDUCATION,
            "November 2018",
            "Green",
            "Complete. Officer in post since 5 November 2018.",
        ),
        (
            "MASH records show the rationale for every decision on a domestic abuse notification.",
            CS_MASH,
            datetime(2018, 11, 30),
            "Green",
            "Complete. Dip sample of 40 records in November: 39 compliant.",
        ),
        (
            "Harbour domestic abuse workers are co-located in the MASH.",
            HARBOUR,
            "November 2018",
            "Green",
            "Complete. Two workers co-located from 1 November 2018.",
        ),
        (
            "Review MASH information-sharing agreement to include probation and youth justice services.",
            LSCB,
            "December 2018",
            "Green",
            "Complete. Revised agreement signed by all partners on 10 December 2018.",
        ),
        (
            "Timescales for MASH decisions on domestic abuse notifications are met in 95% of cases.",
            CS_MASH,
            datetime(2018, 12, 31),
            "Amber",
            "90% in December 2018. Further time needed to embed the new triage arrangements.",
        ),
        (
            "Police risk assessments (DASH) are completed and shared with the MASH within 24 hours.",
            POLICE,
            "December 2018",
            "Amber",
            "Compliance rose from 72% to 88%.\nSupervisors' checks continue until the 95% target is met.",
        ),
        (
            "Children's details are recorded on every police domestic abuse notification.",
            POLICE,
            "31/12/2018",
            "Amber",
            "Mandatory field added to the police system; audit shows 93% compliance.",
        ),
        (
            "Agree a joint performance report for the MASH covering all partners.",
            LSCB,
            "December 2018",
            "Yellow",
            "Revised timescale of April 2019 approved by the LSCB Executive Group pending the new case system.",
        ),
        (
            "MASH partners complete joint training on domestic abuse risk and the impact on children.",
            LSCB_TRAINING,
            "January 2019",
            "Not yet due",
            "Training dates set for January and February 2019.",
        ),
        (
            "Implement Operation Encompass so schools are told of domestic abuse incidents before the next school day.",
            POLICE,
            datetime(2019, 3, 31),
            "Not yet due",
            "Pilot in 40 schools from January 2019.",
        ),
        (
            "Evaluate the domestic abuse triage meeting and report to the LSCB Executive Group.",
            CS_MASH,
            "March 2019",
            "Not yet due",
            "Evaluation framework agreed.",
        ),
        (
            "CRC and NPS staff are able to request MASH information checks on parents they supervise.",
            CRC,
            "February 2019",
            "Not yet due",
            "Request form agreed; staff briefings planned.",
        ),
        (
            "YOS case managers receive notifications when a young person they supervise is affected by domestic abuse.",
            YOS,
            "March 2019",
            "Green",
            "Complete ahead of timescale: notifications started December 2018.",
        ),
        (
            "Review the capacity of the MASH against demand, including the volume of police notifications.",
            CS_DIRECTOR,
            "April 2019",
            "Not yet due",
            "Demand analysis under way.",
        ),
        (
            "Introduce a feedback loop so referrers are told the outcome of their referral.",
            CS_MASH,
            "May 2019",
            "Not yet due",
            "Letter templates drafted.",
        ),
        (
            "Out-of-hours domestic abuse notifications are screened by the Emergency Duty Team the same night.",
            CS_MASH,
            "June 2019",
            "Not yet due",
            "Protocol in draft.",
        ),
        (
            "Health visitors and school nurses are notified of domestic abuse incidents involving families on their "
            "caseloads.",
            HEALTH,
            "April 2019",
            "Not yet due",
            "Notification process being tested with two localities.",
        ),
        (
            "Annual multi-agency audit of the front door reported to the LSCB.",
            LSCB,
            "September 2019",
            "Not yet due",
            "Audit planned for summer 2019.",
        ),
    ],
    3: [
        (
            "Refresh the LSCB domestic abuse procedures and practice guidance.",
            LSCB,
            datetime(2018, 9, 30),
            "Green",
            "Complete. Published September 2018.",
        ),
        (
            "Deliver briefings to all social work teams on the inspection findings.",
            CS_PRACTICE,
            "September 2018",
            "Green",
            "Complete. 24 team briefings delivered.",
        ),
        (
            "Introduce a domestic abuse practice standard for assessments.",
            CS_QA,
            "October 2018",
            "Green",
            "Complete. Standard issued 1 October 2018.",
        ),
        (
            "Social workers use the DASH risk assessment in every assessment where domestic abuse is a feature.",
            CS_PRACTICE,
            "October 2018",
            "Green",
            "Complete. Included in the assessment form from October 2018.",
        ),
        (
            "Train police response officers on recording the presence of children at domestic abuse incidents.",
            POLICE,
            datetime(2018, 10, 31),
            "Green",
            "Complete. 96% of response officers trained.",
        ),
        (
            "GP practices have a named safeguarding lead who has completed domestic abuse training.",
            CCG,
            "November 2018",
            "Green",
            "Complete. All 68 practices confirmed a trained lead.",
        ),
        (
            "Midwives ask about domestic abuse at booking and at 28 weeks, and record the answer.",
            HEALTH,
            "November 2018",
            "Green",
            "Complete. Audit shows routine enquiry at 97% of bookings.",
        ),
        (
            "NPS offender managers complete child safeguarding checks at the start of every order.",
            NPS,
            "30/11/2018",
            "Green",
            "Complete. Checks built into the case allocation process.",
        ),
        (
            "YOS assessments consider the impact of domestic abuse at home on the young person.",
            YOS,
            "November 2018",
            "Green",
            "Complete. AssetPlus quality assurance includes this check.",
        ),
        (
            "Schools' designated safeguarding leads receive training on domestic abuse and Operation Encompass.",
            EDUCATION,
            "November 2018",
            "Green",
            "Complete. Training delivered to 260 designated leads.",
        ),
        (
            "Introduce a practice model for working with perpetrators of domestic abuse in child protection work.",
            CS_PRACTICE,
            datetime(2018, 11, 30),
            "Green",
            "Complete. Safe & Together model adopted.",
        ),
        (
            "Child protection conference reports from all agencies address domestic abuse and its impact.",
            CS_QA,
            "November 2018",
            "Green",
            "Complete. Conference chairs check every report.",
        ),
        (
            "Multi-agency domestic abuse training is added to the LSCB training programme.",
            LSCB_TRAINING,
            "November 2018",
            "Green",
            "Complete. Six courses scheduled for 2019.",
        ),
        (
            "Police officers complete DASH risk assessments with the victim at every domestic abuse incident.",
            POLICE,
            "December 2018",
            "Green",
            "Complete. 98% compliance in December 2018.",
        ),
        (
            "Children's Services audit 50 cases where domestic abuse is a feature and share the learning.",
            CS_QA,
            "December 2018",
            "Green",
            "Complete. Audit reported to the LSCB on 12 December 2018.",
        ),
        (
            "Case supervision records show how risks from domestic abuse to each child are managed.",
            CS_PRACTICE,
            "December 2018",
            "Green",
            "Complete. Supervision policy revised and audited.",
        ),
        (
            "Health practitioners complete Level 3 safeguarding training including domestic abuse.",
            CCG,
            datetime(2018, 12, 31),
            "Green",
            "Complete. 92% of eligible staff trained; new starters booked.",
        ),
        (
            "MARAC referrals from health services are reviewed for quality.",
            HEALTH,
            "December 2018",
            "Green",
            "Complete. Quality checklist introduced.",
        ),
        (
            "Probation staff complete domestic abuse and child safeguarding training.",
            NPS,
            "December 2018",
            "Green",
            "Complete. All offender managers trained.",
        ),
        (
            "CRC staff complete domestic abuse and child safeguarding training.",
            CRC,
            "December 2018",
            "Green",
            "Complete. All responsible officers trained.",
        ),
        (
            "Produce a practitioner guide on the impact of domestic abuse on children & young people.",
            LSCB,
            "December 2018",
            "Green",
            "Complete. Guide published on the LSCB website.",
        ),
        (
            "Agree a joint approach to 'Think Family' training across adult and children's services.",
            COMMUNITY_SAFETY,
            "December 2018",
            "Green",
            "Complete. Approach agreed at the Safe Durham Partnership.",
        ),
        (
            "Refresh the MARAC operating protocol to include consideration of all children in the household.",
            COMMUNITY_SAFETY,
            "December 2018",
            "Green",
            "Complete. Protocol approved in December 2018.",
        ),
        (
            "Practice standards for recording the child's lived experience are met in 90% of audited cases.",
            CS_QA,
            "December 2018",
            "Amber",
            "78% in the December audit; practice workshops continue.",
        ),
        (
            "Evaluate the impact of domestic abuse training on practice through case audit.",
            LSCB_TRAINING,
            "April 2019",
            "Not yet due",
            "Evaluation method agreed.",
        ),
        (
            "Introduce a domestic abuse champion in every social work team.",
            CS_PRACTICE,
            "February 2019",
            "Not yet due",
            "Champions nominated in 15 of 20 teams.",
        ),
        (
            "Roll out the Safe & Together model training to all child protection social workers.",
            CS_PRACTICE,
            "June 2019",
            "Not yet due",
            "First cohort trained in January 2019.",
        ),
        (
            "GP practices record the presence of domestic abuse on the records of all family members.",
            CCG,
            "May 2019",
            "Not yet due",
            "Coding guidance issued.",
        ),
        (
            "Health visitors complete routine enquiry about domestic abuse at every new birth visit.",
            HEALTH,
            "March 2019",
            "Not yet due",
            "Audit planned for March 2019.",
        ),
        (
            "Joint training for police and children's services on joint investigations.",
            POLICE,
            "April 2019",
            "Not yet due",
            "Course in design.",
        ),
        (
            "Introduce reflective group supervision on domestic abuse cases in the MASH and assessment teams.",
            CS_MASH,
            "March 2019",
            "Not yet due",
            "Facilitators identified.",
        ),
        (
            "Schools record and act on Operation Encompass notifications in line with guidance.",
            EDUCATION,
            "July 2019",
            "Not yet due",
            "Guidance issued to schools January 2019.",
        ),
        (
            "YOS and Harbour jointly deliver programmes for young people who use violence at home.",
            YOS,
            "September 2019",
            "Not yet due",
            "Programme commissioned.",
        ),
        (
            "Review the domestic abuse training needs of the early help workforce.",
            LSCB_TRAINING,
            "May 2019",
            "Not yet due",
            "Survey issued.",
        ),
        (
            "Adult mental health and substance misuse services consider children in the household at assessment.",
            HEALTH,
            "June 2019",
            "Not yet due",
            "Assessment form changes in testing.",
        ),
        (
            "Multi-agency audit of cases stepped down from child protection where domestic abuse was a feature.",
            LSCB,
            "July 2019",
            "Not yet due",
            "Audit planned.",
        ),
    ],
    4: [
        (
            "Present the inspection findings and action plan to the LSCB Executive Group.",
            LSCB,
            datetime(2018, 9, 30),
            "Green",
            "Complete. Presented 20 September 2018.",
        ),
        (
            "Each partner agency nominates a senior lead accountable for its actions in the plan.",
            LSCB,
            "September 2018",
            "Green",
            "Complete. Leads named for all agencies.",
        ),
        (
            "Establish a JTAI improvement group chaired by the LSCB Independent Chair.",
            LSCB,
            "October 2018",
            "Green",
            "Complete. Meets monthly from October 2018.",
        ),
        (
            "Report progress on the action plan to the Safe Durham Partnership Board.",
            COMMUNITY_SAFETY,
            "October 2018",
            "Green",
            "Complete. Reported 25 October 2018.",
        ),
        (
            "Agree a multi-agency domestic abuse performance dataset.",
            LSCB,
            "November 2018",
            "Green",
            "Complete. Dataset agreed; first report December 2018.",
        ),
        (
            "Review the domestic abuse strategy to include the impact on children.",
            COMMUNITY_SAFETY,
            "November 2018",
            "Green",
            "Complete. Strategy refreshed and approved.",
        ),
        (
            "Present the action plan to Cabinet for endorsement.",
            CS_DIRECTOR,
            "December 2018",
            "Green",
            "Complete. Endorsed by Cabinet on 12 December 2018.",
        ),
        (
            "Submit the improvement action plan to the joint inspectorate.",
            CS_DIRECTOR,
            "03/12/2018",
            "Green",
            "Complete. Submitted 3 December 2018.",
        ),
        (
            "Police senior leaders review the staffing of the domestic abuse and safeguarding units.",
            POLICE,
            "December 2018",
            "Green",
            "Complete. Two additional investigators funded.",
        ),
        (
            "Health commissioners include domestic abuse requirements in provider contracts.",
            CCG,
            "December 2018",
            "Green",
            "Complete. Contract variation issued.",
        ),
        (
            "NPS and CRC leaders agree joint arrangements for domestic abuse perpetrator work.",
            NPS,
            "December 2018",
            "Green",
            "Complete. Joint protocol signed.",
        ),
        (
            "Quarterly multi-agency performance reports include domestic abuse measures for children.",
            LSCB,
            "December 2018",
            "Amber",
            "First report produced; health and probation data still to be added.",
        ),
        (
            "Commission independent scrutiny of the delivery of the action plan.",
            LSCB,
            "December 2018",
            "Yellow",
            "Revised timescale of March 2019 approved by the LSCB Executive Group; procurement under way.",
        ),
        (
            "Members of the Children and Young People's Overview and Scrutiny Committee receive progress reports.",
            CS_DIRECTOR,
            "February 2019",
            "Not yet due",
            "Report scheduled for February 2019.",
        ),
        (
            "LSCB Executive Group receives a quarterly report on progress from all partners.",
            LSCB,
            "March 2019",
            "Not yet due",
            "First quarterly report due March 2019.",
        ),
        (
            "Review the MASH governance arrangements.",
            CS_DIRECTOR,
            "April 2019",
            "Not yet due",
            "Terms of reference drafted.",
        ),
        (
            "Carry out a partnership self-assessment against the inspection's areas for improvement.",
            LSCB,
            "June 2019",
            "Not yet due",
            "Self-assessment tool agreed.",
        ),
        (
            "Align the domestic abuse commissioning strategy across the council, police and CCG.",
            COMMUNITY_SAFETY,
            "September 2019",
            "Not yet due",
            "Commissioning review under way.",
        ),
        (
            "Agree the transition to the new multi-agency safeguarding arrangements with the plan embedded.",
            LSCB,
            "June 2019",
            "Not yet due",
            "Draft arrangements published for consultation.",
        ),
        (
            "Senior leaders carry out practice observation visits to front-line teams.",
            CS_DIRECTOR,
            "March 2019",
            "Not yet due",
            "Visits scheduled.",
        ),
        (
            "Review the workforce strategy for children's social care in light of the inspection.",
            CS_DIRECTOR,
            "July 2019",
            "Not yet due",
            "Review started.",
        ),
        (
            "Partners share the learning from the inspection with their boards and governing bodies.",
            LSCB,
            "March 2019",
            "Green",
            "Complete ahead of timescale: all boards briefed by December 2018.",
        ),
        (
            "Evaluate the impact of the action plan on outcomes for children and report to the LSCB.",
            LSCB,
            "September 2019",
            "Not yet due",
            "Outcome measures agreed.",
        ),
    ],
    5: [
        (
            "Assessments record the child's views and experience of domestic abuse in their own words.",
            CS_QA,
            "November 2018",
            "Green",
            "Complete. Assessment template changed; audit shows improvement.",
        ),
        (
            "Children are seen alone during child protection enquiries where domestic abuse is a feature.",
            CS_PRACTICE,
            "December 2018",
            "Green",
            "Complete. Recorded in 96% of audited enquiries.",
        ),
        (
            "Commission a domestic abuse recovery service for children and young people.",
            COMMUNITY_SAFETY,
            "December 2018",
            "Yellow",
            "Revised timescale of June 2019 approved; tender under way.",
        ),
        (
            "Develop direct work tools for practitioners to use with children living with domestic abuse.",
            CS_PRACTICE,
            "December 2018",
            "Yellow",
            "Revised timescale of March 2019 approved; tools in testing.",
        ),
        (
            "Children's views are shared at strategy meetings and child protection conferences.",
            CS_QA,
            datetime(2018, 12, 31),
            "Yellow",
            "Revised timescale of April 2019 approved alongside the new conference model.",
        ),
        (
            "Police record the demeanour and views of children present at domestic abuse incidents.",
            POLICE,
            "December 2018",
            "Yellow",
            "Revised timescale of March 2019 approved while body-worn video guidance is updated.",
        ),
        (
            "Health practitioners record the voice of the child in records where domestic abuse is disclosed.",
            CCG,
            "December 2018",
            "Yellow",
            "Revised timescale of April 2019 approved; record templates changing.",
        ),
        (
            "YOS plans show how young people's experience of domestic abuse at home is addressed.",
            YOS,
            "December 2018",
            "Yellow",
            "Revised timescale of March 2019 approved.",
        ),
        (
            "Consult young people on the domestic abuse services available to them.",
            HARBOUR,
            "December 2018",
            "Yellow",
            "Revised timescale of May 2019 approved; consultation with the Children in Care Council planned.",
        ),
        (
            "Schools use the pupil voice to inform their response to Operation Encompass notifications.",
            EDUCATION,
            "December 2018",
            "Yellow",
            "Revised timescale of July 2019 approved to follow the pilot.",
        ),
        (
            "Publish a young people's guide to domestic abuse services in County Durham.",
            HARBOUR,
            "March 2019",
            "Not yet due",
            "Drafted with young people.",
        ),
        (
            "Introduce feedback from children and families on the help they receive after domestic abuse.",
            CS_QA,
            "April 2019",
            "Not yet due",
            "Survey designed.",
        ),
        (
            "Children's advocacy is offered to every child subject to a child protection plan for domestic abuse.",
            CS_PRACTICE,
            "June 2019",
            "Not yet due",
            "Advocacy provider engaged.",
        ),
        (
            "Evaluate the use of the direct work tools through case audit.",
            CS_QA,
            "September 2019",
            "Not yet due",
            "Audit planned.",
        ),
        (
            "Young people's views inform the refresh of the domestic abuse strategy.",
            COMMUNITY_SAFETY,
            "September 2019",
            "Not yet due",
            "Engagement plan agreed.",
        ),
        (
            "Child in need plans record the child's wishes and feelings about contact with a harmful parent.",
            CS_PRACTICE,
            "May 2019",
            "Not yet due",
            "Practice guidance drafted.",
        ),
        (
            "Health visitors use the child's lived experience tool at every visit where domestic abuse is known.",
            HEALTH,
            "July 2019",
            "Not yet due",
            "Tool adopted; training in spring 2019.",
        ),
        (
            "The LSCB's young people's group reviews the progress of the action plan.",
            LSCB,
            "June 2019",
            "Not yet due",
            "Session booked.",
        ),
        (
            "Probation staff record the impact of a parent's offending on the children in the household.",
            CRC,
            "April 2019",
            "Not yet due",
            "Recording guidance issued.",
        ),
        (
            "Independent reviewing officers check that children's views are considered at every review.",
            CS_QA,
            "March 2019",
            "Not yet due",
            "Checklist in use from January 2019.",
        ),
    ],
}

HEADERS = ("Ref", "Theme", "Action", "Lead", "Timescale", "Status", "Progress Update")
WIDTHS = (8, 8, 60, 40, 16, 14, 60)


def write_action_plan(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Action Plan"
    # Partners keep a title above the table; the reader finds the header row below it.
    sheet["A1"] = "Durham JTAI Improvement Action Plan – multi-agency response to domestic abuse"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
    for number, _name in THEMES:
        for index, (text, lead, timescale, status, progress) in enumerate(ACTIONS[number], start=1):
            sheet.append([f"{number}.{index:02d}", number, text, lead, timescale, status, progress])
            if isinstance(timescale, datetime):
                sheet.cell(row=sheet.max_row, column=5).number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFG", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A4"
    table = Table(displayName="ActionPlan", ref=f"A3:G{sheet.max_row}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    sheet.add_table(table)

    themes = workbook.create_sheet("Themes")
    themes.append(["Number", "Theme", "Order"])
    for order, (number, name) in enumerate(THEMES, start=1):
        themes.append([number, name, order])
    themes.column_dimensions["B"].width = 50

    key = workbook.create_sheet("Status Key")
    key.append(["Status", "Meaning", "Order", "In Table 1"])
    for order, (label, meaning, shown) in enumerate(STATUS_KEY, start=1):
        key.append([label, meaning, order, shown])
    key.column_dimensions["B"].width = 80

    # Fixed properties so regenerating the example gives the same workbook.
    workbook.properties.creator = "Durham LSCB"
    workbook.properties.created = workbook.properties.modified = datetime(2019, 1, 7, 9, 0, 0)
    workbook.save(path)


if __name__ == "__main__":
    write_action_plan(Path(sys.argv[1] if len(sys.argv) > 1 else "inputs/action_plan.xlsx"))
