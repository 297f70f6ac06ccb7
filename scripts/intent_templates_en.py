"""English utterance templates for the intent data (train and held-out test templates differ).

Slots: {p} opening, {s} closing, {c} the caller's case (a phrase or a case number), {j} the judge.
One template per line; templates without slots are used as they are.
"""

from __future__ import annotations


def _lines(block: str) -> list[str]:
    return [line.strip() for line in block.strip().splitlines() if line.strip()]


SLOTS: dict[str, dict[str, list[str]]] = {
    "train": {
        "p": ["", "", "", "hello, ", "hi ", "excuse me, ", "could you tell me ",
              "I'd like to know ", "um ", "yes hello, ", "hi there, ", "okay so "],
        "s": ["", "", "", " please", ", thanks", "?", ".", " thank you", " right now"],
        "c": ["my case", "our case", "the case I filed", "my lawsuit", "this case of mine",
              "my divorce case", "my mother's case", "the case", "my husband's case",
              "the lawsuit against my employer"],
        "j": ["judge", "presiding judge", "judge in charge", "case judge", "responsible judge"],
    },
    "test": {
        "p": ["", "", "good morning, ", "sorry to bother you, ", "hey "],
        "s": ["", "", " thanks a lot", ", can you check", " if possible"],
        "c": ["my father's case", "the case against my landlord", "our company's case"],
        "j": ["judge handling it", "assigned judge", "trial judge"],
    },
}

INTENTS: dict[str, dict[str, list[str]]] = {
    "case_acceptance": {
        "train": _lines("""
            {p}has {c} been accepted{s}
            {p}was {c} accepted by the court{s}
            {p}I filed a complaint last week, has it been registered{s}
            {p}did the court accept {c}{s}
            {p}is {c} docketed yet{s}
            {p}I submitted my filing online, has it been approved{s}
            {p}why hasn't {c} been accepted yet{s}
            {p}check whether {c} was accepted{s}
            {p}I haven't received the acceptance notice for {c}{s}
            {p}has the court taken my case or not{s}
            {p}is {c} registered with the court{s}
            {p}has my filing been approved or rejected{s}
            {p}did my lawsuit get accepted{s}
            {p}was {c} rejected by the filing office{s}
            {p}is {c} officially accepted now{s}
            {p}my online filing still says under review, was it accepted{s}
            {p}did you accept the complaint I mailed{s}
            {p}has the case filing been approved{s}
            {p}I want to confirm that {c} was accepted{s}
            {p}has {c} passed the filing review{s}
            {p}will the court accept {c}{s}
            {p}did {c} get a case number yet{s}
        """),
        "test": _lines("""
            {p}did {c} get accepted or rejected{s}
            {p}I want to know if the court accepted {c}{s}
            {p}has my filing been accepted yet it's been two weeks{s}
            {p}was the acceptance of {c} approved{s}
        """),
    },
    "case_panel": {
        "train": _lines("""
            {p}who is the {j} for {c}{s}
            {p}which judge is assigned to {c}{s}
            {p}who is on the panel for {c}{s}
            {p}who is the clerk of {c}{s}
            {p}I want to know the members of the collegial panel for {c}{s}
            {p}which judge is handling {c}{s}
            {p}who is the presiding judge of {c}{s}
            {p}has {c} been assigned to a judge{s}
            {p}which division is hearing {c}{s}
            {p}was the judge on {c} changed{s}
            {p}who is in charge of {c}{s}
            {p}who are the judges on {c}{s}
            {p}which judges are deciding {c}{s}
            {p}what are the names of the panel members for {c}{s}
            {p}who got assigned {c}{s}
            {p}who handles {c}{s}
            {p}tell me who the judge on {c} is{s}
            {p}is {c} heard by a single judge or a panel{s}
            {p}who are the people's assessors on {c}{s}
            {p}which judge has {c} now{s}
            {p}who will decide {c}{s}
        """),
        "test": _lines("""
            {p}who's in charge of {c}{s}
            {p}tell me the panel members on {c}{s}
            {p}which judge got {c}{s}
            {p}who are the judges deciding {c}{s}
        """),
    },
    "hearing_time": {
        "train": _lines("""
            {p}when is the hearing for {c}{s}
            {p}when is {c} scheduled for trial{s}
            {p}what date is the hearing{s}
            {p}has the hearing date for {c} been set{s}
            {p}what time does the trial of {c} start{s}
            {p}when do I have to appear in court{s}
            {p}was the hearing of {c} postponed{s}
            {p}when is the next hearing in {c}{s}
            {p}which courtroom and what time is {c} heard{s}
            {p}when is the court date{s}
            {p}when will {c} go to trial{s}
            {p}what day is my hearing{s}
            {p}is the trial for {c} scheduled yet{s}
            {p}when is {c} going to be heard{s}
            {p}I forgot the date of the hearing for {c}{s}
            {p}what is the trial date of {c}{s}
            {p}has the hearing been rescheduled{s}
            {p}when do I need to come to court for {c}{s}
            {p}is {c} being heard next week{s}
            {p}what time should I arrive for the hearing{s}
            {p}when is the appeal hearing for {c}{s}
            {p}is there a date for the trial yet{s}
        """),
        "test": _lines("""
            {p}what day is {c} going to be tried{s}
            {p}when will {c} be heard{s}
            {p}I need the trial date for {c}{s}
            {p}is there a hearing scheduled for {c}{s}
        """),
    },
    "case_progress": {
        "train": _lines("""
            {p}what is the status of {c}{s}
            {p}I want to check the progress of {c}{s}
            {p}how is {c} going{s}
            {p}what stage is {c} at{s}
            {p}any update on {c}{s}
            {p}is {c} still pending{s}
            {p}I haven't heard anything about {c} for months{s}
            {p}where is {c} now{s}
            {p}how far along is {c}{s}
            {p}can you check the status of {c}{s}
            {p}what's happening with {c}{s}
            {p}is there any progress on {c}{s}
            {p}what's the latest on {c}{s}
            {p}is anything happening with {c}{s}
            {p}{c} has been stuck for months, where is it{s}
            {p}how is the enforcement of {c} going{s}
            {p}what is the current status of {c}{s}
            {p}has anything moved on {c}{s}
            {p}is {c} still being processed{s}
            {p}give me an update on {c}{s}
            {p}where does {c} stand{s}
            {p}where do things stand with {c}{s}
            {p}when will I get the enforcement money for {c}{s}
        """),
        "test": _lines("""
            {p}any news on {c}{s}
            {p}where are we with {c}{s}
            {p}I'd like an update on how {c} is progressing{s}
            {p}is anything moving on {c}{s}
        """),
    },
    "case_result": {
        "train": _lines("""
            {p}has {c} been decided{s}
            {p}what was the judgment in {c}{s}
            {p}is there a verdict in {c}{s}
            {p}did I win {c}{s}
            {p}is {c} closed{s}
            {p}when can I get the judgment for {c}{s}
            {p}what was the ruling on {c}{s}
            {p}has the court issued a decision on {c}{s}
            {p}what's the outcome of {c}{s}
            {p}was the judgment in {c} announced{s}
            {p}what is the result of {c}{s}
            {p}did we lose {c}{s}
            {p}how was {c} decided{s}
            {p}is the judgment out for {c}{s}
            {p}has a verdict been reached in {c}{s}
            {p}what did the court decide in {c}{s}
            {p}did the judge rule in my favor{s}
            {p}is {c} finished{s}
            {p}has {c} ended{s}
            {p}what was the final decision on {c}{s}
            {p}can I see the judgment of {c}{s}
            {p}what was the end result of {c}{s}
            {p}in the end what happened with {c}{s}
        """),
        "test": _lines("""
            {p}did we win or lose {c}{s}
            {p}is the result of {c} out{s}
            {p}has a final decision been made in {c}{s}
            {p}how did {c} end{s}
        """),
    },
    "contact_judge": {
        "train": _lines("""
            {p}I want to contact the {j} of {c}{s}
            {p}what is the {j}'s phone number{s}
            {p}how can I reach the {j}{s}
            {p}can I leave a message for the {j}{s}
            {p}I need to speak to the {j} about {c}{s}
            {p}please ask the {j} to call me back{s}
            {p}I can't get hold of the {j}{s}
            {p}how do I get in touch with the clerk{s}
            {p}can I meet the {j} in person{s}
            {p}give me the contact details of the {j}{s}
            {p}I want to talk to the {j} directly{s}
            {p}can I call the {j}{s}
            {p}please have the {j} contact me{s}
            {p}tell the {j} I need to talk{s}
            {p}I'd like to send a message to the {j}{s}
            {p}how do I contact the {j} of {c}{s}
            {p}can you put me in contact with the {j}{s}
            {p}I need the {j}'s office number{s}
            {p}I want to discuss {c} with the {j}{s}
            {p}let the {j} know I called{s}
            {p}can the {j} phone me about {c}{s}
            {p}is it possible to phone the {j}{s}
        """),
        "test": _lines("""
            {p}I'd like to talk with the {j} directly{s}
            {p}is there a way to call the {j}{s}
            {p}have the {j} contact me about {c}{s}
            {p}pass a message to the {j}{s}
        """),
    },
    "complaint": {
        "train": _lines("""
            {p}I want to make a complaint{s}
            {p}I want to complain about the {j}{s}
            {p}the {j} was very rude to me and I want to complain{s}
            {p}{c} has been delayed for over a year, I want to file a complaint{s}
            {p}I'm not satisfied with the staff, I want to complain{s}
            {p}the filing window staff kept sending me away{s}
            {p}I have a complaint{s}
            {p}nobody answers the phone, this is unacceptable{s}
            {p}I want to complain about the court's enforcement doing nothing{s}
            {p}the clerk shouted at me{s}
            {p}I'm unhappy with how the {j} treated me{s}
            {p}your staff were rude and unhelpful{s}
            {p}I'm very dissatisfied with the service{s}
            {p}the {j} is ignoring me, I want to complain{s}
            {p}I want to lodge a complaint against the court{s}
            {p}the way {c} is handled is unacceptable{s}
            {p}I'd like to complain about the clerk's attitude{s}
            {p}the {j} keeps delaying {c} on purpose{s}
            {p}I was treated badly at the service center{s}
            {p}I want to file a grievance against the {j}{s}
            {p}this is the worst service, I want to complain{s}
            {p}I want to file a formal complaint{s}
            {p}I'm filing a complaint about the {j}{s}
        """),
        "test": _lines("""
            {p}I'm very unhappy with how {c} is handled and want to lodge a complaint{s}
            {p}your staff treated me badly{s}
            {p}I wish to complain about the {j}'s attitude{s}
            {p}I'd like to file a grievance{s}
        """),
    },
    "report": {
        "train": _lines("""
            {p}I want to report a judge taking bribes{s}
            {p}I want to report misconduct{s}
            {p}I want to report corruption by court staff{s}
            {p}the {j} met the other party in private, I want to report it{s}
            {p}someone is pretending to be a judge to scam people{s}
            {p}I want to report a lawyer colluding with the {j}{s}
            {p}I want to blow the whistle on a court official{s}
            {p}report someone who took money in the court's name{s}
            {p}I'd like to report a violation of discipline{s}
            {p}I want to make a report{s}
            {p}the {j} accepted a bribe{s}
            {p}I have proof a judge is corrupt{s}
            {p}someone called me claiming to be from the court and asked for money{s}
            {p}I'm reporting a scam using the court's name{s}
            {p}a court official asked me for money{s}
            {p}I want to report bribery{s}
            {p}I want to report a corrupt clerk{s}
            {p}there is fraud going on in the court{s}
            {p}I want to report judicial corruption anonymously{s}
            {p}a fake court officer is collecting fees from people{s}
            {p}I suspect the {j} took a bribe{s}
        """),
        "test": _lines("""
            {p}I have evidence of bribery by a judge{s}
            {p}I need to report fraud by a clerk{s}
            {p}somebody is collecting money claiming to be from the court{s}
            {p}I'm reporting a corrupt official{s}
        """),
    },
    "suggestion": {
        "train": _lines("""
            {p}I have a suggestion{s}
            {p}I'd like to make a suggestion about your service{s}
            {p}you should have more staff on the hotline{s}
            {p}I think your website could be improved{s}
            {p}the voice menu is too complicated{s}
            {p}it would be nice to have more parking at the court{s}
            {p}here's an idea to improve things{s}
            {p}the signs in the service hall are unclear{s}
            {p}I want to give some feedback{s}
            {p}my suggestion is to open on weekends{s}
            {p}I'd like to suggest something{s}
            {p}you could improve the online filing system{s}
            {p}I recommend adding more seats in the hall{s}
            {p}some feedback, the hotline menu is confusing{s}
            {p}I have some ideas to make the court better{s}
            {p}may I give a suggestion{s}
            {p}please consider adding more self service kiosks{s}
            {p}I think you should simplify the filing process{s}
            {p}it would help if the text messages were clearer{s}
            {p}I have a recommendation for your service{s}
            {p}here's a small suggestion for the court{s}
            {p}I've got an idea that could help the court{s}
        """),
        "test": _lines("""
            {p}can I offer a suggestion{s}
            {p}just some feedback for improving your service{s}
            {p}I recommend you add more self service machines{s}
            {p}I have an idea for the court{s}
        """),
    },
    "submit_materials": {
        "train": _lines("""
            {p}I need to submit additional documents for {c}{s}
            {p}the {j} asked me for more evidence, how do I submit it{s}
            {p}I want to hand in new evidence{s}
            {p}how do I send my documents to the {j}{s}
            {p}where do I mail the supplementary materials{s}
            {p}I want to file my defense statement{s}
            {p}can I upload the documents for {c} online{s}
            {p}I have the papers ready for {c}, how do I give them to you{s}
            {p}I want to submit a written statement to the {j}{s}
            {p}I need to deliver some materials for {c}{s}
            {p}I still need to hand in some documents{s}
            {p}I have more evidence to submit for {c}{s}
            {p}how do I hand in my appeal petition{s}
            {p}I want to submit my appeal{s}
            {p}where do I send the extra documents the {j} asked for{s}
            {p}I found new evidence for {c}{s}
            {p}I'm missing a document, I want to send it now{s}
            {p}can I drop off the papers for {c} at the court{s}
            {p}I need to turn in my written defense{s}
            {p}how do I give the {j} the missing documents{s}
            {p}I want to send supplementary evidence for {c}{s}
            {p}I have more proof to give the court for {c}{s}
        """),
        "test": _lines("""
            {p}I still owe the court a few documents for {c}{s}
            {p}I found new evidence and want to give it to the {j}{s}
            {p}I wrote my appeal petition and want to lodge it{s}
            {p}how can I turn in the extra proof for {c}{s}
        """),
    },
    "operator": {
        "train": _lines("""
            {p}operator{s}
            {p}I want to talk to a human{s}
            {p}transfer me to an operator{s}
            {p}can I speak to a real person{s}
            {p}get me a live agent{s}
            {p}agent{s}
            {p}connect me to customer service staff{s}
            {p}I need a human operator{s}
            {p}you don't understand me, let me talk to someone real{s}
            {p}I want a person not a machine{s}
            {p}let me speak to a representative{s}
            {p}put me through to a human{s}
        """),
        "test": _lines("""
            {p}put me through to a person{s}
            {p}representative{s}
            {p}human please{s}
        """),
    },
    "goodbye": {
        "train": _lines("""
            goodbye
            bye
            thank you, goodbye
            that's all, thanks
            ok bye
            bye bye
            nothing else, goodbye
            thanks, that's all I needed
            alright, bye now
            I'm done, goodbye
            thanks for your help, bye
            have a nice day
            that's everything, thank you, bye
            okay thank you goodbye
            no that's all bye
        """),
        "test": _lines("""
            ok thanks bye
            that is all, thank you
            great, goodbye then
            no more questions, bye
        """),
    },
    "unknown": {
        "train": _lines("""
            what's the weather like
            are you a robot
            hello hello
            I can't hear you
            what
            yes
            no
            one two three four five six
            where was I
            what's your name
            order me a pizza
            haha
            wait a moment
            hmm
            hello
            sorry say that again
            I don't know
            okay
            will it rain tomorrow
            did you eat
            I'm looking for my son
            hold on let me get a pen
            twenty twenty four
            repeat that
            yeah yeah
            correct
            that's right
            no it's one two three four six
            English
            Chinese please
            the line is bad
            are you there
            um
            nope
            one three eight one two three four five six seven eight
            do you know what day it is
            what's the date today
        """),
        "test": _lines("""
            hi there
            can you hear me
            no no
            let me think
            what time is it now
            sing me a song
            the line was bad
            sure
            one two three
            pardon
        """),
    },
}

CONSULTATION: dict[str, dict[str, list[str]]] = {
    "filing": {
        "train": _lines("""
            {p}how do I file a lawsuit{s}
            {p}what is the procedure to sue someone{s}
            {p}my neighbor owes me money, where do I file a case{s}
            {p}how long does filing take{s}
            {p}I want to sue my employer, how do I start{s}
            {p}how do I start a case at the court{s}
        """),
        "test": _lines("""
            {p}how can I bring a case against someone{s}
            {p}where do I go to file a claim{s}
        """),
    },
    "fees": {
        "train": _lines("""
            {p}how much are the court fees{s}
            {p}how much does it cost to sue{s}
            {p}can I defer paying the fees{s}
            {p}how are the filing fees calculated{s}
            {p}how do I get a refund of court fees{s}
            {p}what is the fee for a divorce case{s}
        """),
        "test": _lines("""
            {p}what would the costs be for a lawsuit{s}
            {p}where do I pay the fee{s}
        """),
    },
    "materials": {
        "train": _lines("""
            {p}what documents do I need to file a case{s}
            {p}what should I bring{s}
            {p}how many copies of the complaint do I need{s}
            {p}do I need to bring my id card{s}
            {p}what paperwork is needed for divorce{s}
            {p}what materials are needed to sue{s}
            {p}what do I need to prepare before filing{s}
        """),
        "test": _lines("""
            {p}which materials are required for filing{s}
            {p}what forms must I prepare{s}
        """),
    },
    "service": {
        "train": _lines("""
            {p}how are court documents served{s}
            {p}how is the summons delivered{s}
            {p}how do I confirm my address for service{s}
            {p}what if the defendant can't be served{s}
            {p}what is electronic service of documents{s}
            {p}how long does service by publication take{s}
            {p}do you send the summons by post{s}
        """),
        "test": _lines("""
            {p}are summons sent by mail{s}
            {p}how does service of process work{s}
        """),
    },
    "evidence": {
        "train": _lines("""
            {p}what is the deadline for evidence{s}
            {p}how should I prepare evidence{s}
            {p}can a recording be used as evidence{s}
            {p}how does a witness testify{s}
            {p}how do I apply for an appraisal{s}
            {p}what if I don't have enough proof{s}
            {p}do screenshots count as evidence{s}
        """),
        "test": _lines("""
            {p}are chat messages valid evidence{s}
            {p}what counts as proof in court{s}
        """),
    },
    "mediation": {
        "train": _lines("""
            {p}can the court mediate my dispute{s}
            {p}what is pre-litigation mediation{s}
            {p}what if mediation fails{s}
            {p}I want to settle with the other side, how{s}
            {p}is a mediation agreement binding{s}
            {p}does mediation cost anything{s}
        """),
        "test": _lines("""
            {p}can we try mediation instead of a lawsuit{s}
            {p}how do I apply for mediation{s}
        """),
    },
    "appeal": {
        "train": _lines("""
            {p}how do I appeal a judgment{s}
            {p}what is the deadline to appeal{s}
            {p}where do I submit an appeal{s}
            {p}which court hears the appeal{s}
            {p}can I still appeal after the deadline{s}
        """),
        "test": _lines("""
            {p}I disagree with the judgment, can I appeal{s}
            {p}how long does an appeal take{s}
        """),
    },
    "enforcement": {
        "train": _lines("""
            {p}the other party won't comply with the judgment, how do I apply for enforcement{s}
            {p}what are the conditions for enforcement{s}
            {p}the debtor refuses to pay, can the court enforce it{s}
            {p}how do I get the debtor blacklisted{s}
            {p}where do I apply for execution{s}
            {p}what if the debtor has no property to enforce{s}
        """),
        "test": _lines("""
            {p}the judgment is final but he won't pay, what can I do{s}
            {p}what is the time limit to request enforcement{s}
        """),
    },
    "hours": {
        "train": _lines("""
            {p}what are your opening hours{s}
            {p}what time does the court open{s}
            {p}are you open on weekends{s}
            {p}when do you close for lunch{s}
            {p}are you open on holidays{s}
            {p}what are the office hours of the court{s}
        """),
        "test": _lines("""
            {p}what time does the service center close{s}
            {p}is the court open saturday{s}
        """),
    },
    "online_query": {
        "train": _lines("""
            {p}can I check my case online{s}
            {p}how do I file online{s}
            {p}how do I use the wechat mini program{s}
            {p}how do I log in to the website{s}
            {p}is there an app for the court{s}
            {p}do I need to register to search online{s}
            {p}can I see case information on the internet{s}
        """),
        "test": _lines("""
            {p}is there a website with case information{s}
            {p}can I look things up on the internet{s}
        """),
    },
    "preservation": {
        "train": _lines("""
            {p}how do I apply for property preservation{s}
            {p}I'm afraid he is hiding assets, what can I do{s}
            {p}do I need a guarantee for preservation before filing{s}
            {p}can the court freeze the assets before the trial{s}
        """),
        "test": _lines("""
            {p}what if the other side starts transferring assets before the case{s}
        """),
    },
    "retrial": {
        "train": _lines("""
            {p}how do I apply for a retrial{s}
            {p}can a final judgment be reopened{s}
            {p}what is the deadline for a retrial application{s}
            {p}the final judgment is wrong, can I get a new trial{s}
        """),
        "test": _lines("""
            {p}is a retrial possible after the final judgment{s}
        """),
    },
    "jurisdiction": {
        "train": _lines("""
            {p}which court should I sue in{s}
            {p}how is jurisdiction decided{s}
            {p}what court handles contract disputes{s}
            {p}the defendant lives in another city, which court do I go to{s}
        """),
        "test": _lines("""
            {p}how do I know the right court for my dispute{s}
        """),
    },
    "procedure": {
        "train": _lines("""
            {p}how long does the court take to decide a case{s}
            {p}what is the time limit for trial{s}
            {p}what are small claims{s}
            {p}how do I withdraw my lawsuit{s}
            {p}when does a judgment take effect{s}
        """),
        "test": _lines("""
            {p}how long will the trial take under the simplified procedure{s}
        """),
    },
    "legal_aid": {
        "train": _lines("""
            {p}I can't afford a lawyer{s}
            {p}how do I apply for legal aid{s}
            {p}is there a free lawyer{s}
            {p}who gives legal aid{s}
        """),
        "test": _lines("""
            {p}I'm poor, can I get legal aid{s}
        """),
    },
}
"""Consultation templates by knowledge-base topic."""
